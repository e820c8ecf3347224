//go:build linux && (amd64 || arm64)

package exec

import (
	"encoding/binary"
	"math"
	"runtime"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/spork-sh/spork/exec/internal/_child"
	"golang.org/x/sys/unix"
)

// noClone3 is set once clone3 (or CLONE_CLEAR_SIGHAND) turned out not to be
// available: every later launch uses clone and resets the signal handlers
// in the child.
var noClone3 atomic.Bool

// allSignals blocks every signal (the kernel leaves SIGKILL and SIGSTOP
// alone).
var allSignals = unix.Sigset_t{Val: [len(unix.Sigset_t{}.Val)]uint64{0: ^uint64(0)}}

// unblockable are SIGKILL and SIGSTOP, whose dispositions cannot change.
const unblockable = 1<<(unix.SIGKILL-1) | 1<<(unix.SIGSTOP-1)

var stepNames = [...]string{
	child.StepNone:        "",
	child.StepSetpgid:     "setpgid",
	child.StepTcsetpgrp:   "tcsetpgrp",
	child.StepChdir:       "chdir",
	child.StepDup:         "dup",
	child.StepClose:       "close",
	child.StepSigaction:   "sigaction",
	child.StepSigprocmask: "sigprocmask",
	child.StepExecve:      "execve",
}

func (l *launcher) launch(s *Spec) (int, error) {
	t0 := time.Now()
	a, err := l.prepare(s)
	if err != nil {
		l.stats.fail()
		return 0, err
	}
	var p [2]int
	if err := unix.Pipe2(p[:], unix.O_CLOEXEC); err != nil {
		l.stats.fail()
		return 0, &Error{Path: s.Path, Step: "pipe", Errno: errnoOf(err)}
	}
	a.Pipe = p[1]

	upid, errno := start(a)
	pid := int(upid)
	unix.Close(p[1])
	if errno != 0 {
		unix.Close(p[0])
		runtime.KeepAlive(a)
		l.stats.fail()
		return 0, &Error{Path: s.Path, Step: "clone", Errno: errno}
	}
	if s.Setpgid {
		// The child does the same; whichever comes first wins, and the
		// other fails with EACCES (the child has exec'd) or ESRCH.
		unix.Setpgid(pid, s.Pgid)
	}

	// EOF means the child exec'd (the pipe is close-on-exec); eight bytes
	// are the errno and step of a failure.
	var buf [8]byte
	n := 0
	for n < len(buf) {
		m, err := unix.Read(p[0], buf[n:])
		if err == unix.EINTR {
			continue
		}
		if err != nil || m <= 0 {
			break
		}
		n += m
	}
	unix.Close(p[0])
	runtime.KeepAlive(a)
	switch {
	case n == 0:
		l.stats.record(time.Since(t0))
		return pid, nil
	case n < len(buf):
		l.stats.fail()
		return pid, &Error{Path: s.Path, Step: "pipe", Errno: unix.EPIPE}
	}
	l.stats.fail()
	e := &Error{Path: s.Path, Errno: unix.Errno(binary.NativeEndian.Uint32(buf[0:4]))}
	if step := binary.NativeEndian.Uint32(buf[4:8]); int(step) < len(stepNames) {
		e.Step = stepNames[step]
	} else {
		e.Step = "unknown"
	}
	return pid, e
}

// start blocks every signal on the (locked) OS thread, clones and restores
// the mask. No Go signal handler may run in the child, least of all in one
// that shares the parent's memory; so the child starts with all signals
// blocked and unblocks them only after it has reset every handler. The old
// mask is kept in a, in the heap, not in a stack frame a vfork child shares.
func start(a *child.Args) (uintptr, unix.Errno) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	unix.PthreadSigmask(unix.SIG_SETMASK, &allSignals, &a.OldMask)
	pid, errno := child.Start(a)
	if a.UseClone3 && (errno == uintptr(unix.ENOSYS) || errno == uintptr(unix.EINVAL) || errno == uintptr(unix.E2BIG)) {
		noClone3.Store(true)
		a.UseClone3 = false
		a.SighandCleared = false
		pid, errno = child.Start(a)
	}
	unix.PthreadSigmask(unix.SIG_SETMASK, &a.OldMask, nil)
	return pid, unix.Errno(errno)
}

// prepare builds everything the child needs before the clone: after it, the
// child allocates nothing.
func (l *launcher) prepare(s *Spec) (*child.Args, error) {
	a := new(child.Args)
	a.Init()
	bad := func(what string) error {
		return &Error{Path: s.Path, Step: what, Errno: unix.EINVAL}
	}
	var err error
	if a.Path, err = unix.BytePtrFromString(s.Path); err != nil {
		return nil, bad("path")
	}
	argv, err := cStrings(s.Argv)
	if err != nil {
		return nil, bad("argv")
	}
	a.Argv = &argv[0]
	envp, err := s.envp()
	if err != nil {
		return nil, bad("env")
	}
	a.Envp = &envp[0]
	if s.Dir != "" {
		if a.Dir, err = unix.BytePtrFromString(s.Dir); err != nil {
			return nil, bad("dir")
		}
	}

	files := s.Files
	if files == nil {
		files = []int{0, 1, 2}
		a.InheritStd = true
	}
	fds := make([]int32, len(files)+1) // +1: never empty
	for i, fd := range files {
		if fd < -1 || fd > math.MaxInt32 {
			return nil, &Error{Path: s.Path, Step: "dup", Errno: unix.EBADF}
		}
		if fd < 0 {
			fd = -1
		}
		fds[i] = int32(fd)
	}
	a.Fds = unsafe.SliceData(fds)
	a.NFds = len(files)

	a.Setpgid, a.Pgid = s.Setpgid, s.Pgid
	a.Foreground, a.TTY = s.Foreground, s.TTY
	a.UmaskSet, a.Umask = s.UmaskSet, s.Umask
	a.Default = uint64(s.Default) &^ unblockable
	a.Ignore = uint64(s.Ignore) &^ unblockable
	a.Mask = uint64(s.Mask)

	var flags uint64
	if l.vm {
		flags = unix.CLONE_VM | unix.CLONE_VFORK
	}
	a.CloneFlags = uintptr(flags) | uintptr(unix.SIGCHLD)
	if !noClone3.Load() {
		a.UseClone3 = true
		a.SighandCleared = true
		a.Clone = child.CloneArgs{Flags: flags | unix.CLONE_CLEAR_SIGHAND, ExitSignal: uint64(unix.SIGCHLD)}
	}
	return a, nil
}

func errnoOf(err error) unix.Errno {
	if e, ok := err.(unix.Errno); ok {
		return e
	}
	return unix.EIO
}
