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
	r.backgroundWith(c.Stmt, func(c *Runner) {
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
	r.setString(name+"_PID", strconv.Itoa(r.lastBg))
	return 0
}

// freeFd returns the lowest descriptor number from n up that the shell
// has not open.
func (r *Runner) freeFd(n int) int {
	for r.fds.get(n) != nil {
		n++
	}
	return n
}
