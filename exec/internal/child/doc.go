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
// This package must have no test files of its own: `go test -cover ./...`
// would then instrument it with coverage counters, which are calls into the
// runtime under -race. The test in package exec that disassembles the test
// binary checks that the child's call graph stays clean.
package child
