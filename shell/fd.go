package shell

import (
	"runtime"
	"sync/atomic"
	"unsafe"

	"golang.org/x/sys/unix"
)

// File is one open descriptor of the shell, shared by reference between
// shell states (a subshell's table holds the same Files as its parent's).
// The last state to drop a File closes it, unless it is one of the
// process's own standard descriptors.
type File struct {
	fd    int
	refs  atomic.Int32
	owned bool // closed when the last reference goes
}

func newFile(fd int) *File {
	f := &File{fd: fd, owned: true}
	f.refs.Store(1)
	return f
}

// stdFile wraps one of the process's inherited descriptors, never closed.
func stdFile(fd int) *File {
	f := &File{fd: fd}
	f.refs.Store(1 << 30)
	return f
}

func (f *File) ref() *File {
	if f != nil {
		f.refs.Add(1)
	}
	return f
}

func (f *File) unref() {
	if f == nil {
		return
	}
	if f.refs.Add(-1) == 0 && f.owned {
		unix.Close(f.fd)
	}
}

// fdTable maps the shell's descriptor numbers to open Files.
type fdTable []*File

func (t fdTable) get(n int) *File {
	if n < 0 || n >= len(t) {
		return nil
	}
	return t[n]
}

// clone returns a copy of the table holding new references.
func (t fdTable) clone() fdTable {
	c := make(fdTable, len(t))
	for i, f := range t {
		c[i] = f.ref()
	}
	return c
}

// releaseAll drops every reference in the table.
func (t fdTable) releaseAll() {
	for i, f := range t {
		f.unref()
		t[i] = nil
	}
}

// set puts f at n, returning what was there (the caller owns that
// reference).
func (r *Runner) setFd(n int, f *File) *File {
	for n >= len(r.fds) {
		r.fds = append(r.fds, nil)
	}
	old := r.fds[n]
	r.fds[n] = f
	return old
}

// isTerminal reports whether the OS descriptor fd is a terminal.
func isTerminal(fd int) bool {
	_, err := unix.IoctlGetTermios(fd, unix.TCGETS)
	return err == nil
}

// fdOf returns the OS descriptor behind the shell's descriptor n, or -1.
func (r *Runner) fdOf(n int) int {
	if f := r.fds.get(n); f != nil {
		return f.fd
	}
	return -1
}

// writeFd writes all of b to an OS descriptor.
func writeFd(fd int, b []byte) error {
	if sigpipeTrapped.Load() {
		return writeFdNoSigpipe(fd, b)
	}
	return writeFdLoop(fd, b)
}

// sigpipeTrapped is set while the shell catches SIGPIPE for a trap.
var sigpipeTrapped atomic.Bool

// writeFdNoSigpipe writes with SIGPIPE blocked in the writing thread, and
// takes back the SIGPIPE a broken pipe raises there. spork's builtins,
// subshells and here-document writers write from the shell's own process,
// so the kernel's SIGPIPE for their broken pipe would reach the shell's
// trap, where bash and dash (whose pipeline elements are processes of
// their own) run none: `trap 'exit 1' PIPE; loop | head -1` must go on.
// The caller sees EPIPE, and decides (see [Runner.writeError]).
func writeFdNoSigpipe(fd int, b []byte) error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var set, old unix.Sigset_t
	set.Val[0] = 1 << (uint(unix.SIGPIPE) - 1)
	if err := unix.PthreadSigmask(unix.SIG_BLOCK, &set, &old); err != nil {
		return writeFdLoop(fd, b)
	}
	err := writeFdLoop(fd, b)
	if err == unix.EPIPE {
		// the signal is pending for this thread: take it (no wait)
		var ts unix.Timespec
		unix.RawSyscall6(unix.SYS_RT_SIGTIMEDWAIT, uintptr(unsafe.Pointer(&set)), 0, uintptr(unsafe.Pointer(&ts)), 8, 0, 0)
	}
	unix.PthreadSigmask(unix.SIG_SETMASK, &old, nil)
	return err
}

func writeFdLoop(fd int, b []byte) error {
	for len(b) > 0 {
		n, err := unix.Write(fd, b)
		if err == unix.EINTR {
			continue
		}
		if err == unix.EAGAIN {
			waitFd(fd, unix.POLLOUT)
			continue
		}
		if err != nil {
			return err
		}
		b = b[n:]
	}
	return nil
}

// readFd reads from an OS descriptor, retrying on EINTR and EAGAIN.
func readFd(fd int, b []byte) (int, error) {
	for {
		n, err := unix.Read(fd, b)
		if err == unix.EINTR {
			continue
		}
		if err == unix.EAGAIN {
			waitFd(fd, unix.POLLIN)
			continue
		}
		return n, err
	}
}

func waitFd(fd int, ev int16) {
	p := []unix.PollFd{{Fd: int32(fd), Events: ev}}
	unix.Poll(p, -1)
}

// fdWriter is an io.Writer on a shell descriptor.
type fdWriter struct {
	r *Runner
	n int
}

func (w fdWriter) Write(b []byte) (int, error) {
	fd := w.r.fdOf(w.n)
	if fd < 0 {
		return 0, unix.EBADF
	}
	if err := writeFd(fd, b); err != nil {
		return 0, err
	}
	return len(b), nil
}

// pipe makes a close-on-exec pipe.
func pipe() (rd, wr *File, err error) {
	var p [2]int
	if err := unix.Pipe2(p[:], unix.O_CLOEXEC); err != nil {
		return nil, nil, err
	}
	return newFile(p[0]), newFile(p[1]), nil
}

var errEPIPE error = unix.EPIPE
