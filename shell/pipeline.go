package shell

import (
	"sync"

	"mvdan.cc/sh/v3/syntax"
)

// pipeline runs a | b | c: each element on its own copy of the state in
// its own goroutine, joined by kernel pipes. External programs get the
// pipe descriptors directly, so no byte passes through Go.
func (r *Runner) pipeline(b *syntax.BinaryCmd) int {
	var elems []*syntax.Stmt
	var all []bool // |& : stderr too
	var walk func(s *syntax.Stmt, stderrToo bool)
	walk = func(s *syntax.Stmt, stderrToo bool) {
		if bc, ok := s.Cmd.(*syntax.BinaryCmd); ok && len(s.Redirs) == 0 && !s.Negated && !s.Background &&
			(bc.Op == syntax.Pipe || bc.Op == syntax.PipeAll) {
			walk(bc.X, bc.Op == syntax.PipeAll)
			walk(bc.Y, stderrToo)
			return
		}
		elems = append(elems, s)
		all = append(all, stderrToo)
	}
	walk(b.X, b.Op == syntax.PipeAll)
	walk(b.Y, false)

	n := len(elems)
	statuses := make([]int, n)
	var wg sync.WaitGroup
	// The elements start once all are set up, the last first: the Go
	// scheduler runs the goroutine started last first, so a writer gets
	// to run before a reader that ends at once (`{ echo; exit 5; } |
	// false` is 5 1 in PIPESTATUS, as in bash, more often than 141 1).
	type element struct {
		i int
		s *syntax.Stmt
		c *Runner
	}
	var ready []element
	startAll := func() {
		for k := len(ready) - 1; k >= 0; k-- {
			e := ready[k]
			wg.Add(1)
			go func() {
				defer wg.Done()
				statuses[e.i] = e.c.runAsSubshell(func(c *Runner) { c.stmt(e.s) })
				if e.c.onLaunch != nil {
					e.c.onLaunch(0) // the last command launched nothing: $! needs no wait for the rest
				}
			}()
		}
		ready = nil
	}
	var prevRead *File
	for i, s := range elems {
		if i == n-1 && r.shopts["lastpipe"] && !r.opts.monitor {
			// shopt -s lastpipe: the last command runs in this shell
			startAll()
			old := r.setFd(0, prevRead)
			prevRead = nil
			r.noErrexit++
			r.stmt(s)
			r.noErrexit--
			statuses[i] = r.lastStatus
			r.setFd(0, old).unref()
			break
		}
		c := r.subshell()
		if prevRead != nil {
			c.setFd(0, prevRead).unref()
			prevRead = nil
		}
		if i < n-1 {
			c.onLaunch = nil // $! of a background pipeline is its last command's pid
			rd, wr, err := pipe()
			if err != nil {
				r.errorf("pipe: %v", err)
				c.release()
				break
			}
			c.setFd(1, wr.ref()).unref()
			if all[i] {
				c.setFd(2, wr.ref()).unref()
			}
			wr.unref()
			prevRead = rd
		}
		ready = append(ready, element{i, s, c})
	}
	startAll()
	if prevRead != nil {
		prevRead.unref()
	}
	wg.Wait()
	ps := make([]string, n)
	for i, s := range statuses {
		ps[i] = itoa(s)
	}
	r.pipeStatus = ps
	st := statuses[n-1]
	if r.opts.pipefail {
		for i := n - 1; i >= 0; i-- {
			if statuses[i] != 0 {
				st = statuses[i]
				break
			}
		}
	}
	return st
}
