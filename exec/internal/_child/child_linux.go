//go:build linux && (amd64 || arm64)

package child

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// Steps of the child routine, as reported back through the error pipe.
const (
	StepNone = iota
	StepSetpgid
	StepTcsetpgrp
	StepChdir
	StepDup
	StepClose
	StepSigaction
	StepSigprocmask
	StepExecve
)

// Sigaction is the kernel's struct sigaction for rt_sigaction, the same on
// amd64 and arm64.
type Sigaction struct {
	Handler  uintptr
	Flags    uint64
	Restorer uintptr
	Mask     uint64
}

// CloneArgs is the kernel's struct clone_args, first version (64 bytes).
type CloneArgs struct {
	Flags      uint64
	Pidfd      uint64
	ChildTid   uint64
	ParentTid  uint64
	ExitSignal uint64
	Stack      uint64
	StackSize  uint64
	TLS        uint64
}

// Args is everything the child routine needs, built by the parent before the
// clone. It must live in the heap and stay reachable until Start returns.
// The child writes only to the non-pointer fields it owns (Fds contents,
// Pipe and the scratch fields), never to anything the parent reads after
// the clone.
type Args struct {
	_ [0]func() // not comparable: no generated equality function

	Path *byte  // NUL-terminated
	Argv **byte // nil-terminated array of NUL-terminated strings
	Envp **byte // likewise
	Dir  *byte  // NUL-terminated, or nil for no chdir

	// Fds points to NFds descriptors: parent descriptor Fds[i] becomes the
	// child's descriptor i, -1 closes i. The child rewrites the array.
	Fds  *int32
	NFds int
	// InheritStd is set when the caller gave no Files (so Fds is 0, 1, 2):
	// a descriptor among them that the parent does not have open is then
	// left closed instead of failing the launch.
	InheritStd bool
	// Pipe is the write end of the O_CLOEXEC error pipe.
	Pipe int

	Setpgid    bool
	Pgid       int
	Foreground bool
	TTY        int
	UmaskSet   bool
	Umask      int

	// SighandCleared says that the clone itself reset every caught signal
	// to SIG_DFL (clone3 with CLONE_CLEAR_SIGHAND); otherwise the child
	// does it, leaving ignored signals ignored as that flag does.
	SighandCleared bool
	Default        uint64 // signals to set to SIG_DFL (bit n-1 = signal n)
	Ignore         uint64 // signals to set to SIG_IGN
	Mask           uint64 // signal mask at exec

	// UseClone3 selects clone3(&Clone, sizeof Clone) over
	// clone(CloneFlags, 0, 0, 0, 0).
	UseClone3  bool
	Clone      CloneArgs
	CloneFlags uintptr

	// OldMask is where the parent keeps its signal mask while it is
	// blocked around the clone: in the heap, not in the stack frame a
	// vfork child shares.
	OldMask unix.Sigset_t

	dfl, ign, old Sigaction
	pgrp          int32
	report        [2]uint32 // errno, step
}

// Init fills in the fields the parent does not set itself.
func (a *Args) Init() {
	a.dfl = Sigaction{Handler: 0} // SIG_DFL
	a.ign = Sigaction{Handler: 1} // SIG_IGN
}

// Start clones the calling thread and runs the child routine in the new
// process. In the parent it returns the child's pid, or the errno of the
// clone. The caller must have blocked every signal on this (locked) OS
// thread; Start reads nothing from its own frame after the clone but the
// stub's results, since a CLONE_VM|CLONE_VFORK child runs on this very
// stack before the parent resumes.
//
//go:nosplit
//go:norace
//go:nocheckptr
//go:noinline
func Start(a *Args) (pid, errno uintptr) {
	if a.UseClone3 {
		pid, errno = rawVfork(unix.SYS_CLONE3, uintptr(unsafe.Pointer(&a.Clone)), unsafe.Sizeof(a.Clone))
	} else {
		pid, errno = rawVfork(unix.SYS_CLONE, a.CloneFlags, 0)
	}
	if errno != 0 || pid != 0 {
		return pid, errno
	}
	run(a)
	return 0, 0 // not reached
}

// run is the child: it makes every step of the Spec, then execs. If a step
// fails it writes errno and step to the pipe and exits 127.
//
//go:nosplit
//go:norace
//go:nocheckptr
//go:noinline
func run(a *Args) {
	step, errno := steps(a)
	a.report[0] = uint32(errno)
	a.report[1] = uint32(step)
	rawSyscall6(unix.SYS_WRITE, uintptr(a.Pipe), uintptr(unsafe.Pointer(&a.report)), unsafe.Sizeof(a.report), 0, 0, 0)
	for {
		rawSyscall6(unix.SYS_EXIT_GROUP, 127, 0, 0, 0, 0, 0)
	}
}

//go:nosplit
//go:norace
//go:nocheckptr
//go:noinline
func steps(a *Args) (step, errno uintptr) {
	var e uintptr

	// Process group and terminal, with every signal still blocked (so
	// SIGTTOU from a background group cannot stop us).
	if a.Setpgid {
		if _, e = rawSyscall6(unix.SYS_SETPGID, 0, uintptr(a.Pgid), 0, 0, 0, 0); e != 0 {
			return StepSetpgid, e
		}
		discardGroupSignals(a)
	}
	if a.Foreground {
		pgrp := uintptr(a.Pgid)
		if !a.Setpgid {
			pgrp, _ = rawSyscall6(unix.SYS_GETPGID, 0, 0, 0, 0, 0, 0)
		} else if pgrp == 0 {
			pgrp, _ = rawSyscall6(unix.SYS_GETPID, 0, 0, 0, 0, 0, 0)
		}
		a.pgrp = int32(pgrp)
		if _, e = rawSyscall6(unix.SYS_IOCTL, uintptr(a.TTY), unix.TIOCSPGRP, uintptr(unsafe.Pointer(&a.pgrp)), 0, 0, 0); e != 0 {
			return StepTcsetpgrp, e
		}
	}

	if a.Dir != nil {
		if _, e = rawSyscall6(unix.SYS_CHDIR, uintptr(unsafe.Pointer(a.Dir)), 0, 0, 0, 0, 0); e != 0 {
			return StepChdir, e
		}
	}

	if step, e = files(a); e != 0 {
		return step, e
	}

	if a.UmaskSet {
		rawSyscall6(unix.SYS_UMASK, uintptr(a.Umask), 0, 0, 0, 0, 0)
	}

	if step, e = signals(a); e != 0 {
		return step, e
	}

	if _, e = rawSyscall6(unix.SYS_RT_SIGPROCMASK, unix.SIG_SETMASK, uintptr(unsafe.Pointer(&a.Mask)), 0, 8, 0, 0); e != 0 {
		return StepSigprocmask, e
	}

	_, e = rawSyscall6(unix.SYS_EXECVE, uintptr(unsafe.Pointer(a.Path)), uintptr(unsafe.Pointer(a.Argv)), uintptr(unsafe.Pointer(a.Envp)), 0, 0, 0)
	return StepExecve, e
}

// groupSignals are the signals a terminal sends a whole process group.
var groupSignals = [...]uintptr{uintptr(unix.SIGINT), uintptr(unix.SIGQUIT), uintptr(unix.SIGTSTP), uintptr(unix.SIGTTIN), uintptr(unix.SIGTTOU)}

// discardGroupSignals drops the keyboard and terminal signals that reached
// the child while it was still in the shell's process group: they were
// the shell's (a ^Z the shell caught for the job it stopped), and kept
// pending behind the blocked mask they would stop or end the child at the
// unblock, before exec. A stopped child would never exec, the parent of
// a vfork would wait for it for ever, and a SIGCONT to the job's group
// before the child joined it would not wake it. Setting SIG_IGN discards
// a pending signal, even a blocked one; the old action goes back at once.
//
//go:nosplit
//go:norace
//go:nocheckptr
//go:noinline
func discardGroupSignals(a *Args) {
	const sigsetSize = 8
	ign := uintptr(unsafe.Pointer(&a.ign))
	old := uintptr(unsafe.Pointer(&a.old))
	for _, sig := range groupSignals {
		if _, e := rawSyscall6(unix.SYS_RT_SIGACTION, sig, ign, old, sigsetSize, 0, 0); e == 0 {
			rawSyscall6(unix.SYS_RT_SIGACTION, sig, old, 0, sigsetSize, 0, 0)
		}
	}
}

// files puts the descriptors in place in two passes, as syscall's
// forkAndExecInChild1 does: first every source descriptor that the second
// pass would overwrite before using it (Fds[i] < i), and the error pipe if
// it is below NFds, moves to a free descriptor at or above NFds; then each
// Fds[i] is dup'ed onto i without close-on-exec. Finally every descriptor
// from NFds up is marked close-on-exec.
//
//go:nosplit
//go:norace
//go:nocheckptr
//go:noinline
func files(a *Args) (step, errno uintptr) {
	n := uintptr(a.NFds)
	var r1, e uintptr
	if uintptr(a.Pipe) < n {
		if r1, e = rawSyscall6(unix.SYS_FCNTL, uintptr(a.Pipe), unix.F_DUPFD_CLOEXEC, n, 0, 0, 0); e != 0 {
			return StepDup, e
		}
		a.Pipe = int(r1)
	}
	for i := uintptr(0); i < n; i++ {
		p := (*int32)(unsafe.Add(unsafe.Pointer(a.Fds), i*4))
		if fd := *p; fd >= 0 && uintptr(fd) < i {
			if r1, e = rawSyscall6(unix.SYS_FCNTL, uintptr(fd), unix.F_DUPFD_CLOEXEC, n, 0, 0, 0); e != 0 {
				return StepDup, e
			}
			*p = int32(r1)
		}
	}
	for i := uintptr(0); i < n; i++ {
		fd := *(*int32)(unsafe.Add(unsafe.Pointer(a.Fds), i*4))
		switch {
		case fd < 0:
			rawSyscall6(unix.SYS_CLOSE, i, 0, 0, 0, 0, 0) // EBADF is fine
		case uintptr(fd) == i:
			if _, e = rawSyscall6(unix.SYS_FCNTL, i, unix.F_SETFD, 0, 0, 0, 0); e != 0 {
				if e == uintptr(unix.EBADF) && a.InheritStd {
					continue
				}
				return StepDup, e
			}
		default:
			if _, e = rawSyscall6(unix.SYS_DUP3, uintptr(fd), i, 0, 0, 0, 0); e != 0 {
				return StepDup, e
			}
		}
	}
	// Failure (ENOSYS before Linux 5.11) is tolerable: every descriptor
	// Go opens is close-on-exec already.
	rawSyscall6(unix.SYS_CLOSE_RANGE, n, uintptr(^uint32(0)), unix.CLOSE_RANGE_CLOEXEC, 0, 0, 0)
	return StepNone, 0
}

// signals sets the dispositions. Unless the clone already did so, every
// caught signal (the Go runtime catches them all) goes back to SIG_DFL while
// ignored ones stay ignored; then Default and Ignore are applied.
//
//go:nosplit
//go:norace
//go:nocheckptr
//go:noinline
func signals(a *Args) (step, errno uintptr) {
	const sigsetSize = 8
	dfl := uintptr(unsafe.Pointer(&a.dfl))
	ign := uintptr(unsafe.Pointer(&a.ign))
	old := uintptr(unsafe.Pointer(&a.old))
	var e uintptr
	if !a.SighandCleared {
		for sig := uintptr(1); sig <= 64; sig++ {
			bit := uint64(1) << (sig - 1)
			if sig == uintptr(unix.SIGKILL) || sig == uintptr(unix.SIGSTOP) || (a.Default|a.Ignore)&bit != 0 {
				continue
			}
			if _, e = rawSyscall6(unix.SYS_RT_SIGACTION, sig, dfl, old, sigsetSize, 0, 0); e == 0 && a.old.Handler == 1 {
				rawSyscall6(unix.SYS_RT_SIGACTION, sig, ign, 0, sigsetSize, 0, 0)
			}
		}
	}
	for sig := uintptr(1); sig <= 64; sig++ {
		bit := uint64(1) << (sig - 1)
		act := uintptr(0)
		switch {
		case a.Ignore&bit != 0:
			act = ign
		case a.Default&bit != 0:
			act = dfl
		default:
			continue
		}
		if _, e = rawSyscall6(unix.SYS_RT_SIGACTION, sig, act, 0, sigsetSize, 0, 0); e != 0 {
			return StepSigaction, e
		}
	}
	return StepNone, 0
}

// rawSyscall6 makes a system call; errno is 0 on success.
//
//go:noescape
func rawSyscall6(trap, a1, a2, a3, a4, a5, a6 uintptr) (r1, errno uintptr)

// rawVfork makes a clone or clone3 call that may run the child on the
// caller's stack; see the assembly.
//
//go:noescape
func rawVfork(trap, a1, a2 uintptr) (r1, errno uintptr)
