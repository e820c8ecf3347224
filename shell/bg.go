package shell

import (
	"strconv"
	"sync"

	"github.com/spork-sh/spork/exec"
	"golang.org/x/sys/unix"
	"mvdan.cc/sh/v3/syntax"
)

// background starts s as a background job and sets $!. Under job control
// a job started by the shell itself gets a process group of its own.
func (r *Runner) background(s *syntax.Stmt) { r.backgroundWith(s, nil) }

// backgroundWith is background; setup, if not nil, prepares the job's
// state (its descriptors) before it starts. It returns the job.
func (r *Runner) backgroundWith(s *syntax.Stmt, setup func(c *Runner)) *job {
	fg := *s
	fg.Background = false
	c := r.subshell()
	if !r.opts.monitor {
		c.bgIgnore |= exec.SignalSet(0).Add(unix.SIGINT).Add(unix.SIGQUIT)
		if !redirectsFd(s.Redirs, 0) {
			if fd, err := unix.Open("/dev/null", unix.O_RDONLY|unix.O_CLOEXEC, 0); err == nil {
				c.setFd(0, newFile(fd)).unref()
			}
		}
	}
	if setup != nil {
		setup(c)
	}
	j := newJob(jobText(s.Cmd), false)
	grouped := r.sh.jobControl && r.subshellDepth == 0
	c.job = j
	j.grouped = grouped
	if grouped {
		j.simple = isSimpleExternal(r, s)
		if !j.simple {
			r.startHolder(j)
		}
	}
	first := make(chan int, 1)
	var once sync.Once
	c.onLaunch = func(pid int) {
		once.Do(func() { first <- pid })
	}
	waitFirst := j.leader() == 0 && launchesFirst(r, s.Cmd)
	sh, jobs := r.sh, r.jobs
	go func() {
		st := c.runAsSubshell(func(c *Runner) { c.stmt(&fg) })
		once.Do(func() { first <- 0 })
		j.finish(st)
		if grouped {
			sh.noticeNow(jobs, j)
		}
	}()
	pid := j.leader() // a holder's
	if waitFirst {
		pid = <-first
	}
	if pid == 0 {
		pid = int(pseudoPid.Add(1))
	}
	j.mu.Lock()
	j.pid = pid
	j.mu.Unlock()
	r.lastBg = pid
	r.jobs.add(j)
	r.lastStatus = 0
	if r.sh.Interactive && r.subshellDepth == 0 {
		r.errWrite("[" + strconv.Itoa(j.id) + "] " + strconv.Itoa(pid) + "\n")
	}
	return j
}

// isSimpleExternal reports whether s is a single external command, whose
// one process can lead the job's group with no holder.
func isSimpleExternal(r *Runner, s *syntax.Stmt) bool {
	c, ok := s.Cmd.(*syntax.CallExpr)
	return ok && len(c.Args) > 0 && launchesFirst(r, c)
}

// launchesFirst reports whether a background command starts with an
// external program, so $! can be its pid.
func launchesFirst(r *Runner, cmd syntax.Command) bool {
	switch c := cmd.(type) {
	case *syntax.CallExpr:
		if len(c.Args) == 0 {
			return false
		}
		name := c.Args[0].Lit()
		if name == "" {
			return false
		}
		if _, ok := r.funcs.m[name]; ok {
			return false
		}
		if r.hasBuiltin(name) {
			return false
		}
		return true
	case *syntax.BinaryCmd:
		if c.Op == syntax.Pipe || c.Op == syntax.PipeAll {
			// $! is the last command's pid, as in bash and dash
			return launchesFirst(r, c.Y.Cmd)
		}
	}
	return false
}

func redirectsFd(rds []*syntax.Redirect, n int) bool {
	for _, rd := range rds {
		fd := -1
		if rd.N != nil {
			fd, _ = strconv.Atoi(rd.N.Value)
		} else {
			switch rd.Op {
			case syntax.RdrIn, syntax.RdrInOut, syntax.DplIn, syntax.Hdoc, syntax.DashHdoc, syntax.WordHdoc:
				fd = 0
			}
		}
		if fd == n {
			return true
		}
	}
	return false
}
