// Package child holds the code that runs in a new process between clone and
// execve, for package exec. It builds on every platform, but its contents
// exist only on linux/amd64 and linux/arm64, where its assembly stubs do.
//
// Nothing in the child may run Go runtime code: no allocation, no stack
// growth, no write barrier, no race or coverage instrumentation, no bounds
// or checkptr panic. So every function here that the child runs is
// //go:nosplit, //go:norace and //go:nocheckptr, reaches memory through
// unsafe pointers rather than slice indexing, and makes system calls through
// the package's own assembly stubs, never through x/sys/unix or syscall
// (whose RawSyscall is instrumented under -race).
//
// Coverage counters are the hazard no directive turns off: under -race they
// are calls into the race runtime. Since Go 1.22, `go test -cover PATTERN`
// instruments every package PATTERN matches, test files or not; so this
// package lives in a directory whose name starts with an underscore, which
// `./...` patterns never match. Only an explicit -coverpkg naming it (or
// "all") still instruments it; exec's TestMain then refuses to run under
// -race (see its use of Probe). The package must keep no test files of its
// own. The test in package exec that disassembles the test binary checks
// that the child's call graph stays clean.
package child

// probed is set by Probe.
var probed bool

// Probe does nothing useful. The tests of package exec call it once and
// watch testing.Coverage: if the figure moves, this package was compiled
// with coverage counters.
//
//go:noinline
func Probe() bool {
	probed = true
	return probed
}
