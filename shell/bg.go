package shell

import (
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/spork-sh/spork/exec"
	"golang.org/x/sys/unix"
	"mvdan.cc/sh/v3/syntax"
)

// bgJob is a background job: a goroutine running a command on its own
// copy of the state, and the processes it started.
type bgJob struct {
	id     int
	pid    int // $! for this job: its first process, or a stand-in number
	cmd    string
	done   chan struct{}
	status int
	pids   []int
}

// jobTable lists a state's background jobs.
type jobTable struct {
	mu   sync.Mutex
	list []*bgJob
}

func newJobTable() *jobTable { return &jobTable{} }

var pseudoPid atomic.Int64

func init() { pseudoPid.Store(1 << 22) }

// background starts s as a background job and sets $!.
func (r *Runner) background(s *syntax.Stmt) {
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
	j := &bgJob{cmd: printNode(s.Cmd), done: make(chan struct{})}
	first := make(chan int, 1)
	var once sync.Once
	c.onLaunch = func(pid int) {
		once.Do(func() { first <- pid })
	}
	waitFirst := launchesFirst(r, s.Cmd)
	go func() {
		j.status = c.runAsSubshell(func(c *Runner) { c.stmt(&fg) })
		once.Do(func() { first <- 0 })
		close(j.done)
	}()
	pid := 0
	if waitFirst {
		pid = <-first
	}
	if pid == 0 {
		pid = int(pseudoPid.Add(1))
	}
	j.pid = pid
	r.lastBg = pid
	r.jobs.add(j)
	r.lastStatus = 0
	if r.sh.Interactive && r.subshellDepth == 0 {
		r.errWrite("[" + strconv.Itoa(j.id) + "] " + strconv.Itoa(pid) + "\n")
	}
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
		if _, ok := builtins[name]; ok {
			return false
		}
		return true
	case *syntax.BinaryCmd:
		if c.Op == syntax.Pipe || c.Op == syntax.PipeAll {
			return launchesFirst(r, c.X.Cmd) || launchesFirst(r, c.Y.Cmd)
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

func (t *jobTable) add(j *bgJob) {
	t.mu.Lock()
	defer t.mu.Unlock()
	j.id = 1
	for _, o := range t.list {
		if o.id >= j.id {
			j.id = o.id + 1
		}
	}
	t.list = append(t.list, j)
}

func (t *jobTable) remove(j *bgJob) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for i, o := range t.list {
		if o == j {
			t.list = append(t.list[:i], t.list[i+1:]...)
			return
		}
	}
}

func (t *jobTable) all() []*bgJob {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]*bgJob(nil), t.list...)
}

// find resolves a job spec (%n, %+, %-, %string, %?string) or a pid.
func (t *jobTable) find(spec string) *bgJob {
	list := t.all()
	if !strings.HasPrefix(spec, "%") {
		pid, err := strconv.Atoi(spec)
		if err != nil {
			return nil
		}
		for _, j := range list {
			if j.pid == pid {
				return j
			}
		}
		return nil
	}
	s := spec[1:]
	if len(list) == 0 {
		return nil
	}
	switch {
	case s == "" || s == "+" || s == "%":
		return list[len(list)-1]
	case s == "-":
		if len(list) > 1 {
			return list[len(list)-2]
		}
		return list[len(list)-1]
	}
	if n, err := strconv.Atoi(s); err == nil {
		for _, j := range list {
			if j.id == n {
				return j
			}
		}
		return nil
	}
	for _, j := range list {
		if strings.HasPrefix(s, "?") && strings.Contains(j.cmd, s[1:]) || strings.HasPrefix(j.cmd, s) {
			return j
		}
	}
	return nil
}

// waitBuiltin implements wait [-n] [id...].
func waitBuiltin(r *Runner, args []string) int {
	args = args[1:]
	anyOne := false
	if len(args) > 0 && args[0] == "-n" {
		anyOne = true
		args = args[1:]
	}
	if len(args) > 0 && args[0] == "--" {
		args = args[1:]
	}
	wake := r.sh.sig.wakeChan()
	waitJob := func(j *bgJob) (int, bool) {
		select {
		case <-j.done:
			r.jobs.remove(j)
			return j.status, true
		case <-wake:
			return 0, false
		}
	}
	if len(args) == 0 {
		list := r.jobs.all()
		if anyOne {
			if len(list) == 0 {
				return 127
			}
			cases := make(chan *bgJob, len(list))
			for _, j := range list {
				go func(j *bgJob) { <-j.done; cases <- j }(j)
			}
			select {
			case j := <-cases:
				r.jobs.remove(j)
				return j.status
			case <-wake:
				return r.trapInterrupted()
			}
		}
		for _, j := range list {
			if _, ok := waitJob(j); !ok {
				return r.trapInterrupted()
			}
		}
		return 0
	}
	st := 0
	for _, a := range args {
		j := r.jobs.find(a)
		if j == nil {
			if strings.HasPrefix(a, "%") {
				r.errorf("wait: %s: no such job", a)
			} else if _, err := strconv.Atoi(a); err != nil {
				r.errorf("wait: `%s': not a pid or valid job spec", a)
				st = 2
				continue
			}
			st = 127
			continue
		}
		s, ok := waitJob(j)
		if !ok {
			return r.trapInterrupted()
		}
		st = s
	}
	return st
}

// trapInterrupted is wait's status when a trapped signal arrived: 128+n.
func (r *Runner) trapInterrupted() int {
	s := r.sh.sig
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := 1; i < len(s.caught); i++ {
		if s.caught[i] {
			return 128 + i
		}
	}
	return 128
}

func jobsBuiltin(r *Runner, args []string) int {
	pidsOnly := len(args) > 1 && args[1] == "-p"
	var b strings.Builder
	list := r.jobs.all()
	for i, j := range list {
		if pidsOnly {
			b.WriteString(strconv.Itoa(j.pid) + "\n")
			continue
		}
		mark := " "
		if i == len(list)-1 {
			mark = "+"
		} else if i == len(list)-2 {
			mark = "-"
		}
		state := "Running"
		select {
		case <-j.done:
			state = "Done"
			if j.status != 0 {
				state = "Exit " + strconv.Itoa(j.status)
			}
		default:
		}
		b.WriteString("[" + strconv.Itoa(j.id) + "]" + mark + "  " + state + "                    " + j.cmd + "\n")
	}
	return r.out(b.String())
}

func init() {
	builtins["wait"] = waitBuiltin
	builtins["jobs"] = jobsBuiltin
}
