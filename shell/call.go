package shell

import (
	"errors"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/spork-sh/spork/exec"
	"golang.org/x/sys/unix"
	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"
)

// call runs a simple command.
func (r *Runner) call(c *syntax.CallExpr) int {
	if eg := r.negatedSubshellOf(c); eg != nil {
		return r.negatedSubshell(eg)
	}
	if r.isAliasCall(c) {
		return r.callAlias(c)
	}
	args, ok := r.commandWords(c)
	if !ok {
		return 1
	}
	return r.callFields(c, args)
}

// commandWords expands a simple command's words into its arguments; false
// when the expansion failed (reported).
func (r *Runner) commandWords(c *syntax.CallExpr) ([]string, bool) {
	r.hadCmdSubst = false
	args, err := r.fields(c.Args...)
	if err != nil {
		r.expandError(err)
		return nil, false
	}
	if r.hadCmdSubst && r.job != nil && r.job.attn.Load() && r.jobAttention() {
		// ^C (or a kill of the job) during a command substitution: the
		// command does not run, as in bash
		return nil, false
	}
	return args, true
}

// isAliasCall reports whether c's first word is an alias to expand.
func (r *Runner) isAliasCall(c *syntax.CallExpr) bool {
	if len(r.aliases.m) > 0 && len(c.Args) > 0 {
		if lit := c.Args[0].Lit(); lit != "" {
			if _, ok := r.aliases.m[lit]; ok && len(r.aliasActive) < 16 && r.aliasUsable(lit) {
				return true
			}
		}
	}
	return false
}

// callFields runs a simple command whose words expanded to args.
func (r *Runner) callFields(c *syntax.CallExpr, args []string) int {
	if len(args) == 0 {
		// assignments only (or a command that expanded to nothing); the
		// values still see the previous command's $_, which is emptied
		// afterwards
		for _, as := range c.Assigns {
			if err := r.assign(as, false); err != nil {
				return 1
			}
		}
		if len(c.Assigns) > 0 {
			r.lastArg, r.lastArgSet = "", true
		}
		if r.ctl == ctlExit {
			return r.exitCode
		}
		if r.hadCmdSubst {
			return r.cmdSubstSt
		}
		return 0
	}
	return r.callArgs(c.Assigns, args)
}

// negatedSubshellOf returns the !(...) that c consists of when extglob is
// off: a negated subshell the parser took for an extended glob.
func (r *Runner) negatedSubshellOf(c *syntax.CallExpr) *syntax.ExtGlob {
	if len(c.Args) == 1 && len(c.Args[0].Parts) == 1 && !r.ecfg.ExtGlob {
		if eg, ok := c.Args[0].Parts[0].(*syntax.ExtGlob); ok && eg.Op == syntax.GlobExcept {
			return eg
		}
	}
	return nil
}

// negatedSubshell runs a command word !(...), which the parser takes for
// an extended glob, as bash does without extglob: ! ( ... ).
func (r *Runner) negatedSubshell(eg *syntax.ExtGlob) int {
	src := strings.Repeat("\n", int(eg.Pattern.Pos().Line())-1) + "! (" + eg.Pattern.Value + ")"
	f, err := newParser().Parse(strings.NewReader(src), "")
	if err != nil || len(f.Stmts) != 1 {
		r.errorf("syntax error near unexpected token `('")
		return 2
	}
	r.stmt(f.Stmts[0])
	return r.lastStatus
}

// callArgs runs a command whose words are expanded already.
func (r *Runner) callArgs(assigns []*syntax.Assign, args []string) int {
	name := args[0]
	special := r.isSpecial(name)
	var restore []savedVar
	var extraEnv []string
	if len(assigns) > 0 {
		// exec's assignments are for the program it runs (exported, and not
		// kept after exec >file), as in bash
		if !special && r.funcs.m[name] != nil {
			return r.callFuncWithBindings(assigns, args)
		}
		if (special || name == "local") && name != "exec" {
			// local too, as dash and osh: its prefix assignments stay
			for _, as := range assigns {
				if err := r.assign(as, false); err != nil {
					return 1
				}
			}
		} else {
			var err error
			restore, extraEnv, err = r.tempAssigns(assigns)
			if err != nil {
				return 1
			}
		}
	}
	if r.opts.xtrace {
		r.traceCall(assigns, args)
		r.traceFile = nil // what the command runs traces to its stderr
	}
	st := r.dispatch(name, args, special, extraEnv)
	if restore != nil {
		r.restoreVars(restore)
	}
	r.lastArg, r.lastArgSet = args[len(args)-1], true
	return st
}

func (r *Runner) dispatch(name string, args []string, special bool, extraEnv []string) int {
	if special {
		return r.runBuiltin(name, args)
	}
	if body := r.funcs.m[name]; body != nil {
		return r.callFunc(body, args)
	}
	if r.hasBuiltin(name) {
		return r.runBuiltin(name, args)
	}
	if name != "" && name[0] == '%' && r.sh.jobControl {
		// naming a job brings it to the foreground, as in bash: %1 is fg %1
		return r.runBuiltin("fg", []string{"fg", name})
	}
	return r.external(args, extraEnv)
}

// callFuncWithBindings runs a function with prefix assignments: they live
// in a scope of their own between the caller's and the function's, so that
// the function sees (and may change) them, and unset inside it reveals the
// variable of the same name outside, as in bash.
func (r *Runner) callFuncWithBindings(assigns []*syntax.Assign, args []string) int {
	r.ownVars()
	idx := len(r.vs.frames)
	r.vs.frames = append(r.vs.frames, make(scope, len(assigns)))
	pop := func() {
		r.ownVars()
		r.vs.frames[idx] = nil
		r.vs.frames = r.vs.frames[:idx]
	}
	for _, as := range assigns {
		val, err := r.assignValue(as)
		if err != nil {
			pop()
			return 1
		}
		name := as.Name.Value
		if old, _ := r.lookup(name); old.ReadOnly {
			r.errorf("%s: readonly variable", name)
			pop()
			if !r.opts.interactive {
				r.exit(1)
			}
			return 1
		}
		r.ownVars()
		r.vs.frames[idx][name] = expand.Variable{Set: true, Exported: true, Kind: expand.String, Str: val}
	}
	if r.opts.xtrace {
		r.traceCall(assigns, args)
		r.traceFile = nil
	}
	st := r.callFunc(r.funcs.m[args[0]], args)
	pop()
	r.lastArg, r.lastArgSet = args[len(args)-1], true
	return st
}

// savedVar remembers a variable replaced for the length of one command.
type savedVar struct {
	name string
	v    expand.Variable
}

// tempAssigns applies prefix assignments for one command, exported, and
// returns what to restore and the environment additions.
func (r *Runner) tempAssigns(assigns []*syntax.Assign) ([]savedVar, []string, error) {
	var saved []savedVar
	var env []string
	for _, as := range assigns {
		val, err := r.assignValue(as)
		if err != nil {
			r.restoreVars(saved)
			return nil, nil, err
		}
		name := as.Name.Value
		old, _ := r.lookup(name)
		if old.ReadOnly {
			r.errorf("%s: readonly variable", name)
			r.restoreVars(saved)
			if !r.opts.interactive {
				r.exit(1) // as bash and osh; dash uses 2
			}
			return nil, nil, errors.New("readonly")
		}
		saved = append(saved, savedVar{name, old})
		r.ownVars()
		nv := expand.Variable{Set: true, Exported: true, Kind: expand.String, Str: val, Local: old.Local}
		_, sc := r.lookup(name)
		if sc == nil {
			sc = r.vs.globals
		}
		sc[name] = nv
		r.varChanged(name)
		env = append(env, name+"="+val)
	}
	return saved, env, nil
}

func (r *Runner) restoreVars(saved []savedVar) {
	r.ownVars()
	for i := len(saved) - 1; i >= 0; i-- {
		s := saved[i]
		_, sc := r.lookup(s.name)
		if sc == nil {
			sc = r.vs.globals
		}
		if s.v.Declared() {
			sc[s.name] = s.v
		} else {
			delete(sc, s.name)
		}
		r.varChanged(s.name)
	}
}

// maxNesting bounds the nesting of function calls, evals and sourced
// files, which recurse on the goroutine's stack: past it, an error ends
// the shell rather than the Go runtime.
const maxNesting = 1000

// hiddenTrap is a caller's trap that a function call does not see.
type hiddenTrap struct {
	sig    int
	cmd    string
	hidden bool
}

// hideTrap takes the trap for sig away for a function call, unless
// inherit says the function sees it.
func (r *Runner) hideTrap(sig int, inherit bool) hiddenTrap {
	cmd, ok := r.traps.cmds[sig]
	if !ok || inherit {
		return hiddenTrap{}
	}
	delete(r.traps.cmds, sig)
	return hiddenTrap{sig, cmd, true}
}

// restoreTrap gives a hidden trap back after the call; over says it
// replaces one the function set.
func (r *Runner) restoreTrap(t hiddenTrap, over bool) {
	if !t.hidden {
		return
	}
	if _, set := r.traps.cmds[t.sig]; set && !over {
		return
	}
	r.traps.cmds[t.sig] = t.cmd
}

// callFunc runs a shell function with args (args[0] is its name).
func (r *Runner) callFunc(body *syntax.Stmt, args []string) int {
	if r.funcDepth > maxNesting {
		r.errorf("%s: maximum function nesting level exceeded (%d)", args[0], maxNesting)
		r.exit(2)
		return 2
	}
	saved := r.params
	r.params = args[1:]
	r.ownVars()
	r.vs.frames = append(r.vs.frames, nil)
	r.funcDepth++
	r.funcNames = append(r.funcNames, args[0])
	r.srcStack = append(r.srcStack, srcFrame{body: body, line: int(r.line)})
	// As in bash, a function does not see the caller's ERR trap without
	// set -E, nor its RETURN and DEBUG traps without set -T. They come
	// back when it returns: ERR and DEBUG unless the function set its
	// own, RETURN always (one the function set ran as it returned).
	errTrap := r.hideTrap(trapERR, r.opts.errtrace)
	retTrap := r.hideTrap(trapRETURN, r.opts.functrace)
	dbgTrap := r.hideTrap(trapDEBUG, r.opts.functrace)
	// break and continue do not reach the caller's loops (bash, dash)
	loops, outer := r.loopDepth, r.outerLoops
	r.loopDepth, r.outerLoops = 0, 0
	if cmd, ok := r.debugDue(); ok && r.opts.functrace {
		r.runDebugTrap(cmd, "") // under set -T, once more as the function starts (bash)
	}
	r.stmt(body)
	r.loopDepth, r.outerLoops = loops, outer
	r.runReturnTrap()
	r.restoreTrap(retTrap, true)
	r.restoreTrap(dbgTrap, false)
	r.restoreTrap(errTrap, false)
	if len(r.attrUndo) > 0 {
		r.undoLocalAttrs(r.funcDepth)
	}
	if len(r.localOpts) > 0 {
		r.restoreLocalOpts(r.funcDepth)
	}
	r.funcNames = r.funcNames[:len(r.funcNames)-1]
	r.srcStack = r.srcStack[:len(r.srcStack)-1]
	r.funcDepth--
	r.ownVars()
	r.vs.frames[len(r.vs.frames)-1] = nil
	r.vs.frames = r.vs.frames[:len(r.vs.frames)-1]
	r.params = saved
	if r.ctl == ctlReturn {
		r.ctl = ctlNone
	}
	if r.ctl == ctlBreak || r.ctl == ctlContinue {
		r.ctl = ctlNone
	}
	return r.lastStatus
}

// external runs a program found on PATH or by path.
func (r *Runner) external(args []string, extraEnv []string) int {
	if h, ok := r.funcs.m["command_not_found_handle"]; ok && strings.IndexByte(args[0], '/') < 0 && r.lookPath(args[0]) == "" {
		// bash runs the handler in a subshell, with the command as its
		// arguments, for its status
		return r.subshellRun(func(c *Runner) {
			c.callFunc(h, append([]string{"command_not_found_handle"}, args...))
		})
	}
	path, st := r.findProgram(args[0])
	if st != 0 {
		return st
	}
	pid, err := r.launch(path, args, extraEnv, r.fds)
	if err != nil {
		return r.launchError(path, args, err)
	}
	st = r.waitPid(pid)
	if r.subshellDepth == 0 {
		// a trapped signal the program sent the shell (kill -USR1 $PPID)
		// runs its trap before the next command, as in dash and bash
		r.sh.sig.flush()
	}
	return st
}

// findProgram resolves a command name to a path, or reports it missing.
func (r *Runner) findProgram(name string) (string, int) {
	if strings.IndexByte(name, '/') >= 0 {
		return name, 0
	}
	path := r.lookPath(name)
	if path == "" {
		r.errorf("%s: command not found", name)
		return "", 127
	}
	return path, 0
}

// launcher returns the launcher of the current mode.
func (r *Runner) launcher() exec.Launcher {
	if r.opts.spawnmode {
		return r.sh.spawn
	}
	return r.sh.fork
}

// launch starts one program with the state's descriptors fds.
func (r *Runner) launch(path string, args []string, extraEnv []string, fds fdTable) (int, error) {
	lc := r.cache()
	files := lc.files[:0]
	for _, f := range fds {
		if f == nil {
			files = append(files, -1)
		} else {
			files = append(files, f.fd)
		}
	}
	for len(files) > 3 && files[len(files)-1] < 0 {
		files = files[:len(files)-1]
	}
	lc.files = files
	environ, env := r.childEnv(extraEnv)
	spec := &lc.spec
	*spec = exec.Spec{
		Path:     path,
		Argv:     args,
		Env:      env,
		Environ:  environ,
		Dir:      r.childDir(),
		Files:    files,
		Default:  r.sh.sig.resetInChildren(),
		Ignore:   r.traps.ignored | r.bgIgnore,
		Umask:    r.umask,
		UmaskSet: true,
	}
	spec.Default &^= spec.Ignore
	var pid int
	var err error
	if j := r.job; j != nil && j.grouped {
		pid, err = r.launchInJob(spec)
	} else if pid, err = r.launchSpec(spec); err == nil && j != nil {
		j.addProc(pid)
	}
	if err == nil && r.onLaunch != nil {
		r.onLaunch(pid)
	}
	return pid, err
}

// childDir is the directory a child changes to: none for the main state
// when the process is already there (the child inherits it), else the
// state's own.
func (r *Runner) childDir() string {
	if r.subshellDepth == 0 {
		if d := r.sh.procDir.Load(); d != nil && *d == r.dir {
			return ""
		}
	}
	return r.dir
}

// launchSpec starts spec's process with the current launcher.
func (r *Runner) launchSpec(spec *exec.Spec) (int, error) {
	r.sh.reaper.Launching()
	pid, err := r.launcher().Launch(spec)
	r.sh.reaper.Launched()
	if err != nil && pid > 0 {
		r.sh.reaper.Forget(pid)
	} else if err == nil {
		// ours to wait for (waitPid, or the job that launched it): the
		// reaper leaves it to us rather than collect it in its goroutine
		r.sh.reaper.Watch(pid)
	}
	if e, ok := err.(*exec.Error); ok && e.Step == "chdir" && spec.Dir != "" {
		// The state's directory was removed. The process is still in it
		// when it is the main state's: the child can inherit it.
		if d := r.sh.procDir.Load(); d != nil && *d == spec.Dir {
			spec.Dir = ""
			return r.launchSpec(spec)
		}
	}
	return pid, err
}

// launchInJob starts spec's process in the process group of r's job (a new
// group for its first process), with the terminal when the job is in the
// foreground. A stopped job waits here until it is continued.
func (r *Runner) launchInJob(spec *exec.Spec) (int, error) {
	j := r.job
	j.waitRunning()
	j.launchMu.Lock()
	defer j.launchMu.Unlock()
	for try := 0; ; try++ {
		pgid := r.jobGroup(j)
		spec.Setpgid, spec.Pgid = true, pgid
		spec.Foreground = r.sh.tty >= 0 && j.isForeground()
		spec.TTY = r.sh.tty
		pid, err := r.launchSpec(spec)
		if spec.Foreground && !j.isForeground() {
			// stopped while launching: the child may have taken the
			// terminal from the shell after the stop
			r.sh.reclaimTerminal(j)
		}
		if e, ok := err.(*exec.Error); ok && e.Step == "setpgid" && pgid != 0 && try == 0 {
			j.groupGone(pgid) // its last member ended: start a new group
			continue
		}
		if err == nil {
			j.addProc(pid)
		}
		return pid, err
	}
}

// launchError reports a failed launch and returns the status; a file the
// kernel cannot execute (ENOEXEC) is run as a spork script instead.
func (r *Runner) launchError(path string, args []string, err error) int {
	var le *exec.Error
	if errors.As(err, &le) {
		switch le.Errno {
		case unix.ENOEXEC:
			return r.runScriptFile(path, args)
		case unix.ENOENT:
			if strings.IndexByte(args[0], '/') < 0 {
				r.hashDelete(args[0])
			}
			if fileExists(r.abs(path)) {
				// the file is there but its #! interpreter is not (bash
				// 5.2's words; bash and dash give 127)
				r.errorf("%s: cannot execute: required file not found", args[0])
				return 127
			}
			r.errorf("%s: No such file or directory", args[0])
			return 127
		case unix.ENAMETOOLONG:
			// no such command can exist: not found (dash, osh), not 126
			r.errorf("%s: %s", args[0], ErrorText(le.Errno))
			return 127
		case unix.EACCES:
			if st, err := os.Stat(r.abs(path)); err == nil && st.IsDir() {
				r.errorf("%s: Is a directory", args[0])
				return 126
			}
			r.errorf("%s: Permission denied", args[0])
			return 126
		}
		r.errorf("%s: %s", args[0], le.Errno.Error())
		return 126
	}
	r.errorf("%s: %v", args[0], err)
	return 126
}

// runScriptFile runs a file that has no #! line as a spork script in a
// subshell, as execve's ENOEXEC asks.
func (r *Runner) runScriptFile(path string, args []string) int {
	data, err := os.ReadFile(r.abs(path))
	if err != nil {
		r.errorf("%s: %v", args[0], err)
		return 126
	}
	if isBinary(data) {
		r.errorf("%s: cannot execute binary file", args[0])
		return 126
	}
	env := r.environ(nil)
	return r.subshellRun(func(c *Runner) {
		c.arg0 = path
		c.params = args[1:]
		c.funcs.release()
		c.funcs = newFuncTable()
		c.hash.release()
		c.hash = newHashTable()
		// a new shell: only the exported variables are passed on
		c.vs.release()
		c.vs = newVarStore()
		c.vs.globals.importEnv(env)
		c.runSource(string(data), path)
	})
}

func isBinary(data []byte) bool {
	n := len(data)
	if n > 80 {
		n = 80
	}
	for _, c := range data[:n] {
		if c == 0 {
			return true
		}
		if c == '\n' {
			break
		}
	}
	return false
}

// waitPid waits for a foreground child and returns its status.
func (r *Runner) waitPid(pid int) int {
	ch := r.sh.reaper.Watch(pid)
	j := r.job
	if j == nil || !j.grouped {
		ws := ch.Exit()
		r.sh.sig.childEnded()
		r.yieldSometimes()
		if j != nil {
			j.procEvent(pid, ws)
		}
		return r.statusOf(ws)
	}
	for {
		ws := ch.Next()
		j.procEvent(pid, ws)
		if ws.Stopped() || ws.Continued() {
			continue
		}
		ch.Exit()
		r.sh.sig.childEnded()
		if j.isDetached() {
			r.detach()
		}
		fg := j.isForeground()
		if fg && ws.Signaled() && r.sh.Interactive && (ws.Signal() == unix.SIGINT || ws.Signal() == unix.SIGQUIT) {
			j.diedOf(ws.Signal()) // ^C ends the whole job, as it would a forked one
		}
		if fg && j.liveProcs() == 0 {
			r.sh.takeTerminalAfter(j)
		}
		return r.statusOf(ws)
	}
}

// yieldSometimes passes through the scheduler every few milliseconds. The
// waits for commands run in the waiting goroutine (see jobs.Reaper), so a
// loop of commands looks to the Go runtime like one goroutine running for
// ever: it would interrupt it with a signal every 10 ms, each time putting
// its monitor thread back to polling every 20 µs. A yield costs a thread
// wake-up, so not one per command.
func (r *Runner) yieldSometimes() {
	now := time.Now()
	if now.Sub(r.lastYield) >= 5*time.Millisecond {
		r.lastYield = now
		runtime.Gosched()
	}
}

// statusOf turns a wait status into a shell status.
func (r *Runner) statusOf(ws unix.WaitStatus) int {
	switch {
	case ws.Exited():
		return ws.ExitStatus()
	case ws.Signaled():
		sig := ws.Signal()
		if sig != unix.SIGINT && sig != unix.SIGPIPE && r.subshellDepth == 0 && !r.sh.Interactive {
			msg := signalDescription(sig)
			if ws.CoreDump() {
				msg += " (core dumped)"
			}
			r.errorf("%s", msg)
		}
		return 128 + int(sig)
	}
	return 1
}

func (r *Runner) abs(p string) string {
	if p == "" || p[0] == '/' {
		return p
	}
	return r.dir + "/" + p
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// lookPath finds name on PATH, remembering the answer.
func (r *Runner) lookPath(name string) string {
	if r.opts.hashall {
		if p := r.hashGet(name); p != "" {
			return p
		}
	}
	p := r.searchPath(name)
	if p != "" && r.opts.hashall {
		r.hashPut(name, p)
	}
	return p
}

// searchPath searches PATH for an executable regular file.
func (r *Runner) searchPath(name string) string {
	pathVar := r.getString("PATH")
	for dir := range strings.SplitSeq(pathVar, ":") {
		if dir == "" {
			dir = "."
		}
		p := dir + "/" + name
		if isExecutable(r.abs(p)) {
			return p
		}
	}
	return ""
}

func isExecutable(p string) bool {
	var st unix.Stat_t
	if unix.Stat(p, &st) != nil || st.Mode&unix.S_IFMT != unix.S_IFREG {
		return false
	}
	return unix.Access(p, unix.X_OK) == nil
}

func itoa(n int) string { return strconv.Itoa(n) }
