//go:build linux && (amd64 || arm64)

package exec

import (
	"encoding/binary"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
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
	la, err := l.prepare(s)
	if err != nil {
		l.stats.fail()
		return 0, err
	}
	defer la.release()
	a := &la.Args
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

// launchArgs is a child.Args together with the memory it points to, kept
// in a pool between launches: a loop of launches reuses the same few
// hundred bytes instead of allocating them every time. That matters to
// fork, where every page the parent writes between two launches takes a
// copy-on-write fault.
type launchArgs struct {
	child.Args
	strs []byte  // path, argv and dir, each NUL-terminated
	argv []*byte // nil-terminated, into strs
	fds  []int32
}

// stdFiles is the Files of a Spec that gives none.
var stdFiles = []int{0, 1, 2}

var argsPool = sync.Pool{New: func() any { return new(launchArgs) }}

// maxPooled is the most string memory a pooled launchArgs keeps: a launch
// with a huge argument list does not pin it for the next ones.
const maxPooled = 64 << 10

// release returns la to the pool; the launch must be over.
func (la *launchArgs) release() {
	if cap(la.strs) <= maxPooled {
		argsPool.Put(la)
	}
}

// cString copies s, NUL-terminated, into la.strs, which has room for it,
// and returns where it starts; false if s holds a NUL byte.
func (la *launchArgs) cString(s string) (*byte, bool) {
	if strings.IndexByte(s, 0) >= 0 {
		return nil, false
	}
	off := len(la.strs)
	la.strs = append(la.strs, s...)
	la.strs = append(la.strs, 0)
	return &la.strs[off], true
}

// prepare builds everything the child needs before the clone: after it, the
// child allocates nothing.
func (l *launcher) prepare(s *Spec) (*launchArgs, error) {
	la := argsPool.Get().(*launchArgs)
	la.Args = child.Args{}
	a := &la.Args
	a.Init()
	bad := func(what string) error {
		la.release()
		return &Error{Path: s.Path, Step: what, Errno: unix.EINVAL}
	}

	n := len(s.Path) + 1 + len(s.Dir) + 1
	for _, arg := range s.Argv {
		n += len(arg) + 1
	}
	la.strs = slices.Grow(la.strs[:0], n) // no reallocation below: the pointers stay good
	var ok bool
	if a.Path, ok = la.cString(s.Path); !ok {
		return nil, bad("path")
	}
	la.argv = la.argv[:0]
	for _, arg := range s.Argv {
		p, ok := la.cString(arg)
		if !ok {
			return nil, bad("argv")
		}
		la.argv = append(la.argv, p)
	}
	la.argv = append(la.argv, nil)
	a.Argv = &la.argv[0]
	envp, err := s.envp()
	if err != nil {
		return nil, bad("env")
	}
	a.Envp = &envp[0]
	if s.Dir != "" {
		if a.Dir, ok = la.cString(s.Dir); !ok {
			return nil, bad("dir")
		}
	}

	files := s.Files
	if files == nil {
		files = stdFiles
		a.InheritStd = true
	}
	la.fds = la.fds[:0]
	for _, fd := range files {
		if fd < -1 || fd > math.MaxInt32 {
			la.release()
			return nil, &Error{Path: s.Path, Step: "dup", Errno: unix.EBADF}
		}
		if fd < 0 {
			fd = -1
		}
		la.fds = append(la.fds, int32(fd))
	}
	la.fds = append(la.fds, -1) // never empty
	a.Fds = unsafe.SliceData(la.fds)
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
	return la, nil
}

func errnoOf(err error) unix.Errno {
	if e, ok := err.(unix.Errno); ok {
		return e
	}
	return unix.EIO
}
