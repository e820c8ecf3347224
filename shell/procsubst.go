package shell

import (
	"strconv"

	"golang.org/x/sys/unix"
	"mvdan.cc/sh/v3/syntax"
)

// Process substitution: <(cmd) and >(cmd) run cmd in a subshell joined to
// the shell by a pipe, and expand to /dev/fd/N, where N is both a
// descriptor of the shell process (so that the shell itself can open the
// path) and the same number in the shell's descriptor table (so that
// programs it starts inherit it there). The descriptor is closed when the
// command that used the expansion ends.

// procSubstMinFd is the lowest descriptor number a process substitution
// uses, above those scripts name themselves.
const procSubstMinFd = 63

// procSubst starts a process substitution and returns its path.
func (r *Runner) procSubst(ps *syntax.ProcSubst) (string, error) {
	rd, wr, err := pipe()
	if err != nil {
		return "", err
	}
	mine, theirs := rd, wr // <(cmd): the shell reads what cmd writes
	theirFd := 1
	if ps.Op == syntax.CmdOut {
		mine, theirs = wr, rd // >(cmd): cmd reads what the shell writes
		theirFd = 0
	}
	c := r.subshell() // before the shell's end is in the table
	c.setFd(theirFd, theirs).unref()
	go c.runAsSubshell(func(c *Runner) { c.stmts(ps.Stmts) })

	n, err := r.freeProcFd(mine)
	if err != nil {
		mine.unref()
		return "", err
	}
	r.setFd(n, mine).unref()
	r.procFds = append(r.procFds, n)
	return "/dev/fd/" + strconv.Itoa(n), nil
}

// freeProcFd gives f's descriptor a number that is free in the table,
// duplicating it when needed, and returns that number.
func (r *Runner) freeProcFd(f *File) (int, error) {
	from := procSubstMinFd
	for {
		if f.fd >= procSubstMinFd && r.fds.get(f.fd) == nil {
			return f.fd, nil
		}
		nfd, err := unix.FcntlInt(uintptr(f.fd), unix.F_DUPFD_CLOEXEC, from)
		if err != nil {
			return 0, err
		}
		if r.fds.get(nfd) == nil {
			unix.Close(f.fd)
			f.fd = nfd
			return nfd, nil
		}
		unix.Close(nfd)
		from = nfd + 1
	}
}

// closeProcSubsts closes the process substitutions opened since mark.
func (r *Runner) closeProcSubsts(mark int) {
	for _, n := range r.procFds[mark:] {
		r.setFd(n, nil).unref()
	}
	r.procFds = r.procFds[:mark]
}
