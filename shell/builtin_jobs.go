package shell

import (
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// The job builtins: jobs, fg, bg, wait and disown.

func init() {
	builtins["jobs"] = jobsBuiltin
	builtins["fg"] = fgBuiltin
	builtins["bg"] = bgBuiltin
	builtins["wait"] = waitBuiltin
	builtins["disown"] = disownBuiltin
}

// line formats a job as jobs and the notices print it:
// "[1]+  Running                 sleep 100 &".
func (t *jobTable) line(j *job, long bool) string {
	state := j.stateText()
	cmd := j.cmd
	if state == "Running" {
		cmd += " &"
	}
	var b strings.Builder
	b.WriteString("[" + strconv.Itoa(j.id) + "]" + t.mark(j))
	if long {
		fmt.Fprintf(&b, " %5d ", j.leader()) // bash's width
	} else {
		b.WriteString("  ")
	}
	b.WriteString(state)
	for i := len(state); i < 24; i++ {
		b.WriteByte(' ')
	}
	b.WriteString(cmd + "\n")
	return b.String()
}

// jobsBuiltin implements jobs [-lprs] [job...].
func jobsBuiltin(r *Runner, args []string) int {
	var long, pids, running, stopped bool
	opts, rest, st := r.jobOptions(args, "lprsn", "jobs [-lnprs] [jobspec ...]")
	if st != 0 {
		return st
	}
	for _, o := range opts {
		switch o.c {
		case 'l':
			long = true
		case 'p':
			pids = true
		case 'r':
			running = true
		case 's':
			stopped = true
		}
	}
	if r.sh.leaveFreeUntil > 0 && r.sh.commands == r.sh.leaveFreeUntil {
		r.sh.leaveFreeUntil++ // jobs right after the stopped-jobs warning still lets exit go
	}
	table := r.jobs
	list := table.all()
	if len(list) == 0 && r.outerJobs != nil {
		table = r.outerJobs // a subshell lists the jobs of the shell it came from
		list = table.all()
	}
	if len(rest) > 0 {
		list = list[:0:0]
		for _, a := range rest {
			j, err := table.find(a, false)
			if err != nil {
				r.errorf("jobs: %s", err)
				st = 1
				continue
			}
			list = append(list, j)
		}
	}
	var b strings.Builder
	for _, j := range list {
		state, _ := j.snapshot()
		if running && state != jobRunning || stopped && state != jobStopped {
			continue
		}
		if pids {
			b.WriteString(strconv.Itoa(j.leader()) + "\n")
			continue
		}
		b.WriteString(table.line(j, long))
		if table == r.jobs {
			table.reported(j)
		}
	}
	if out := r.out(b.String()); out != 0 {
		return out
	}
	return st
}

// jobOptions parses a job builtin's options; job specs such as %1 are
// operands, never options.
func (r *Runner) jobOptions(args []string, spec, usage string) ([]optArg, []string, int) {
	opts, rest, bad, missing := builtinGetopt(args[1:], spec)
	if bad != "" {
		return nil, nil, r.optError(args[0], bad, missing, args[0]+": usage: "+usage+"\n")
	}
	return opts, rest, 0
}

// jobArg resolves the one optional job operand of fg (the current job
// when there is none).
func (r *Runner) jobArg(name string, args []string) (*job, int) {
	spec := ""
	if len(args) > 0 {
		spec = args[0]
	}
	j, err := r.jobs.operand(spec, len(args) > 0)
	if err != nil {
		r.errorf("%s: %s", name, err)
		return nil, 1
	}
	return j, 0
}

// operand finds the job an operand of fg or bg names; with none given it
// is the current job, and the error says "current", as bash says it.
func (t *jobTable) operand(spec string, given bool) (*job, error) {
	if given {
		return t.find(spec, true)
	}
	j, err := t.find("%+", true)
	if err != nil {
		return nil, &jobSpecError{"current", "no such job"}
	}
	return j, nil
}

// fgBuiltin implements fg [job]: the job gets the terminal and the shell
// waits for it.
func fgBuiltin(r *Runner, args []string) int {
	if !r.sh.jobControl {
		r.errorf("fg: no job control")
		return 1
	}
	_, rest, st := r.jobOptions(args, "", "fg [job_spec]")
	if st != 0 {
		return st
	}
	j, st := r.jobArg("fg", rest)
	if j == nil {
		return st
	}
	r.out(j.cmd + "\n") // on standard output, as in bash and dash
	r.jobs.touch(j)
	prev := r.sh.fgJob.Swap(j)
	defer r.sh.fgJob.Store(prev)
	r.sh.continueInForeground(j)
	status, _ := r.waitForeground(j)
	return status
}

// bgBuiltin implements bg [job...]: stopped jobs go on in the background.
func bgBuiltin(r *Runner, args []string) int {
	if !r.sh.jobControl {
		r.errorf("bg: no job control")
		return 1
	}
	_, rest, st := r.jobOptions(args, "", "bg [job_spec ...]")
	if st != 0 {
		return st
	}
	given := len(rest) > 0
	if !given {
		rest = []string{""} // the current job
	}
	for _, a := range rest {
		j, err := r.jobs.operand(a, given)
		if err != nil {
			r.errorf("bg: %s", err)
			st = 1
			continue
		}
		if state, _ := j.snapshot(); state == jobRunning {
			r.errorf("bg: job %d already in background", j.id)
			continue
		}
		// the mark the job had, as bash prints it: "[1]- cmd &" for the
		// previous job, "[1] cmd &" for another than the current one
		mark := r.jobs.mark(j)
		r.jobs.touch(j)
		r.out("[" + strconv.Itoa(j.id) + "]" + mark + " " + j.cmd + " &\n")
		j.resume(false)
	}
	return st
}

// waitBuiltin implements wait [-n] [job|pid...].
func waitBuiltin(r *Runner, args []string) int {
	st := waitFor(r, args[1:])
	if len(r.coprocs) > 0 {
		r.reapCoprocs() // as bash: a coprocess waited for is gone after
	}
	return st
}

// waitFor is the wait builtin, given its arguments.
func waitFor(r *Runner, args []string) int {
	anyOne := false
	if len(args) > 0 && args[0] == "-n" {
		anyOne = true
		args = args[1:]
	}
	if len(args) > 0 && args[0] == "--" {
		args = args[1:]
	}
	wake := r.sh.sig.wakeChan()
	// ^C (or a kill of the job wait runs in) ends the wait, as it does in
	// bash; the job's next command then sees the abort
	aborted := r.abortChan()
	// waitJob waits until j ends, or stops (128 plus the signal, as bash
	// has it), or a trapped signal arrives or wait's own job is aborted
	// (false).
	waitJob := func(j *job) (int, bool) {
		for {
			state, changed := j.snapshot()
			switch state {
			case jobDone:
				if r.signalledMeanwhile() {
					return 0, false
				}
				r.reapedByWait(j)
				j.mu.Lock()
				defer j.mu.Unlock()
				return j.status, true
			case jobStopped:
				if j.grouped {
					r.errorf("wait: job %d is stopped", j.id)
					j.mu.Lock()
					defer j.mu.Unlock()
					return 128 + int(j.stopSig), true
				}
			}
			select {
			case <-changed:
			case <-aborted:
				return 0, false
			case <-wake:
				if !r.childTrapInWait() {
					return 0, false
				}
				wake = r.sh.sig.wakeChan()
			}
		}
	}
	// waitAny waits until one of list ends (127 when list is empty).
	waitAny := func(list []*job) int {
		if len(list) == 0 {
			return 127
		}
		cases := make(chan *job, len(list))
		for _, j := range list {
			go func(j *job) { <-j.done; cases <- j }(j)
		}
		for {
			select {
			case j := <-cases:
				if r.signalledMeanwhile() {
					return r.trapInterrupted() // j stays in the table
				}
				r.reapedByWait(j)
				return j.status
			case <-aborted:
				return r.abortedWait()
			case <-wake:
				if !r.childTrapInWait() {
					return r.trapInterrupted()
				}
				wake = r.sh.sig.wakeChan()
			}
		}
	}
	if anyOne && len(args) > 0 {
		// the first of the given jobs to end; as in bash, an operand that
		// names none is "no such job" (127 when none is left)
		var list []*job
		for _, a := range args {
			if j, err := r.jobs.find(a, true); err == nil {
				list = append(list, j)
			} else {
				r.errorf("wait: %s: no such job", a)
			}
		}
		return waitAny(list)
	}
	if len(args) == 0 {
		list := r.jobs.all()
		if anyOne {
			return waitAny(list)
		}
		for _, j := range list {
			if state, _ := j.snapshot(); state == jobStopped && j.grouped {
				continue // wait does not wait for stopped jobs
			}
			if _, ok := waitJob(j); !ok {
				return r.abortedWait()
			}
		}
		return 0
	}
	st := 0
	for _, a := range args {
		j, err := r.jobs.find(a, true)
		if err != nil {
			if pid, perr := strconv.Atoi(a); perr == nil {
				if s, ok := r.jobs.pastStatus(pid); ok {
					st = s
					continue
				}
			}
			if strings.HasPrefix(a, "%") {
				r.errorf("wait: %s", err)
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
			return r.abortedWait()
		}
		st = s
	}
	return st
}

// reapedByWait forgets a job that wait collected, and tells the user as
// bash does. An interactive shell with job control shows the job's status
// line ("[1]+  Done    sleep 1", "[1]+  Terminated    sleep 5"), unless a
// notice showed it already: wait takes the job out of the table, so the
// notice before the next prompt would never come. A script reports only a
// death by a signal (as dash does too), except for interrupts, broken
// pipes and SIGTERM (the end of `kill $(jobs -p); wait`), as in bash.
func (r *Runner) reapedByWait(j *job) {
	if r.sh.jobControl {
		j.mu.Lock()
		notified := j.notified
		j.mu.Unlock()
		if !notified {
			r.errWrite(r.jobs.line(j, false))
		}
		r.jobs.remove(j)
		return
	}
	r.jobs.remove(j)
	if r.sh.Interactive {
		return
	}
	if sig := j.killedBy(); sig != 0 && sig != unix.SIGINT && sig != unix.SIGPIPE && sig != unix.SIGTERM {
		r.errorf("%d %s\t%s", j.pid, signalDescription(sig), j.cmd)
	}
}

// childTrapInWait runs the CHLD trap for children that ended while wait
// waits, when that is all that came, and reports whether wait goes on: as
// in bash, the CHLD trap runs at once, and does not end the wait as
// another trapped signal does.
func (r *Runner) childTrapInWait() bool {
	if r.subshellDepth > 0 || !r.sh.sig.onlyChild() {
		return false
	}
	r.runPendingTraps()
	return r.ctl == ctlNone
}

// signalledMeanwhile makes sure that a trapped signal sent to the shell
// just before a job ended (a child's kill -USR1 $PPID) has been recorded
// (see [signals.flush]), and reports whether one other than SIGCHLD came:
// wait then returns for its trap, as in bash and dash, where the signal
// always comes before the job's end.
func (r *Runner) signalledMeanwhile() bool {
	if r.subshellDepth > 0 {
		return false
	}
	s := r.sh.sig
	s.flush()
	return s.pending.Load() && !s.onlyChild()
}

// abortedWait is wait's status when its own job was aborted (128 plus the
// signal), else when a trapped signal arrived.
func (r *Runner) abortedWait() int {
	if r.job != nil {
		if sig := r.job.pendingAbort(); sig != 0 {
			return 128 + sig
		}
	}
	return r.trapInterrupted()
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

// disownBuiltin implements disown [-ahr] [job...]: the shell forgets the
// jobs (with -h it keeps them but will not hang them up).
func disownBuiltin(r *Runner, args []string) int {
	var all, keep, runningOnly bool
	opts, rest, st := r.jobOptions(args, "ahr", "disown [-h] [-ar] [jobspec ... | pid ...]")
	if st != 0 {
		return st
	}
	for _, o := range opts {
		switch o.c {
		case 'a':
			all = true
		case 'h':
			keep = true
		case 'r':
			runningOnly = true
		}
	}
	var list []*job
	switch {
	case len(rest) > 0:
		for _, a := range rest {
			j, err := r.jobs.find(a, true)
			if err != nil {
				r.errorf("disown: %s", err)
				st = 1
				continue
			}
			list = append(list, j)
		}
	case all || runningOnly:
		list = r.jobs.all()
	default:
		cur, _ := r.jobs.ranked()
		if cur == nil {
			r.errorf("disown: current: no such job")
			return 1
		}
		list = []*job{cur}
	}
	for _, j := range list {
		if state, _ := j.snapshot(); runningOnly && state != jobRunning {
			continue
		}
		if keep {
			j.mu.Lock()
			j.nohup = true
			j.mu.Unlock()
			continue
		}
		if state, _ := j.snapshot(); state == jobStopped {
			j.mu.Lock()
			pgid := j.pgid
			j.mu.Unlock()
			r.errorf("warning: deleting stopped job %d with process group %d", j.id, pgid)
		}
		r.jobs.remove(j)
	}
	return st
}

// signalJob sends sig to the job a job spec names (kill %1).
func (r *Runner) signalJob(spec string, sig unix.Signal) error {
	j, err := r.jobs.find(spec, false)
	if err != nil {
		return err
	}
	return j.signal(sig)
}
