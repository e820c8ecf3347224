package shell

import (
	"os/signal"
	"unsafe"

	"golang.org/x/sys/unix"
)

// kernelDefault gives sig its kernel default action (SIG_DFL), with no Go
// handler in between: a fatal signal then ends the shell the way it ends
// any process, and SIGCHLD, whose default is to be discarded, is no longer
// delivered at all (with Go's handler, every child's exit interrupts a
// thread to run it, for nothing: the reaper uses wait4). signal.Ignore
// first makes the Go runtime drop its own handler, so that a later
// signal.Notify (a trap) installs it again.
func kernelDefault(sig unix.Signal) {
	signal.Ignore(sig)
	setDefaultAction(sig)
}

// setDefaultAction sets sig's disposition to SIG_DFL with a raw
// rt_sigaction, behind the runtime's back.
func setDefaultAction(sig unix.Signal) {
	var sa [4]uint64 // struct kernel_sigaction: handler (0 = SIG_DFL), flags, restorer, mask
	unix.RawSyscall6(unix.SYS_RT_SIGACTION, uintptr(sig), uintptr(unsafe.Pointer(&sa[0])), 0, 8, 0, 0)
}
