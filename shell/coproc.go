package shell

import (
	"strconv"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"
)

// coproc runs bash's coproc [NAME] command: the command runs in the
// background, as with &, its standard input and output on two pipes whose
// other ends the shell keeps, on descriptors of 10 or above. NAME
// (COPROC by default) becomes an array of the descriptor to read the
// command's output from and the one to write its input to, and NAME_PID
// holds $!.
func (r *Runner) coproc(c *syntax.CoprocClause) int {
	name := "COPROC"
	if c.Name != nil {
		name = c.Name.Lit()
	}
	if !checkName(name) {
		r.errorf("coproc: `%s': not a valid identifier", name)
		return 1
	}
	inRd, inWr, err := pipe() // the command's input
	if err != nil {
		r.errorf("coproc: pipe: %v", err)
		return 1
	}
	outRd, outWr, err := pipe() // its output
	if err != nil {
		inRd.unref()
		inWr.unref()
		r.errorf("coproc: pipe: %v", err)
		return 1
	}
	readFd := r.freeFd(10)
	r.setFd(readFd, outRd).unref()
	writeFd := r.freeFd(readFd + 1)
	r.setFd(writeFd, inWr).unref()
	j := r.backgroundWith(c.Stmt, func(c *Runner) {
		c.setFd(0, inRd).unref()
		c.setFd(1, outWr).unref()
		c.setFd(readFd, nil).unref()
		c.setFd(writeFd, nil).unref()
	})
	fds := []string{strconv.Itoa(readFd), strconv.Itoa(writeFd)}
	if err := r.Set(name, expand.Variable{Set: true, Kind: expand.Indexed, List: fds}); err != nil {
		r.errorf("coproc: %v", err)
		return 1
	}
	pid := strconv.Itoa(r.lastBg)
	r.setString(name+"_PID", pid)
	r.coprocs = append(r.coprocs, &coprocRec{name: name, pid: pid, job: j,
		readFd: readFd, writeFd: writeFd, rd: outRd, wr: inWr})
	return 0
}

// coprocRec is a coprocess the shell started, until it is reaped.
type coprocRec struct {
	name, pid       string
	job             *job
	readFd, writeFd int
	rd, wr          *File // what the shell put at readFd and writeFd
}

// reapCoprocs disposes of the coprocesses that have ended: their
// descriptors that the shell still holds are closed, and NAME and
// NAME_PID are unset unless they were reassigned. The wait builtin calls
// it. bash also does it whenever it notices the end, which races with a
// script still reading the output; an in-process coprocess ends so soon
// that the script would nearly always lose, so spork waits for wait.
func (r *Runner) reapCoprocs() {
	kept := r.coprocs[:0]
	for _, c := range r.coprocs {
		if state, _ := c.job.snapshot(); state != jobDone {
			kept = append(kept, c)
			continue
		}
		if r.fds.get(c.readFd) == c.rd {
			r.setFd(c.readFd, nil).unref()
		}
		if r.fds.get(c.writeFd) == c.wr {
			r.setFd(c.writeFd, nil).unref()
		}
		if r.getString(c.name+"_PID") == c.pid {
			unsetBuiltin(r, []string{"unset", "-v", c.name, c.name + "_PID"})
		}
	}
	clear(r.coprocs[len(kept):])
	r.coprocs = kept
}

// freeFd returns the lowest descriptor number from n up that the shell
// has not open.
func (r *Runner) freeFd(n int) int {
	for r.fds.get(n) != nil {
		n++
	}
	return n
}
