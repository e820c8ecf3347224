// Package shell is spork's interpreter: it walks the syntax tree that
// mvdan.cc/sh/v3/syntax parses, expands words with mvdan.cc/sh/v3/expand,
// runs builtins and functions in process, and starts external programs
// through the launch layer in package exec. The interpreter is never forked:
// subshells, pipelines and background jobs run as goroutines on a copy of
// the shell state ([Runner]).
package shell

import (
	"io"
	"maps"
	"os"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/spork-sh/spork/exec"
	"github.com/spork-sh/spork/jobs"
	"golang.org/x/sys/unix"
	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"
)

// Shell is what all the states of one spork process share: its pid, the
// launchers, the reaper.
type Shell struct {
	pid         int
	ppid        int
	start       time.Time
	secondsBase int
	reaper      *jobs.Reaper
	fork, spawn exec.Launcher
	holders     exec.Launcher // starts job group holders (spawn): launchstat counts only commands

	// procDir is the process's own working directory, which follows the
	// main state's cd: children of the main state inherit it (so they start
	// even when it was removed, as in other shells) instead of changing to
	// their state's directory.
	procDir atomic.Pointer[string]

	funcFiles sync.Map // function body (*syntax.Stmt) → the file defining it, for BASH_SOURCE

	// Name is how the shell names itself in messages ("spork").
	Name string
	// Script is the script file being run, for messages; empty for -c and
	// standard input.
	Script string
	// Interactive is set for an interactive shell: on a terminal, or spork -i.
	Interactive bool

	sig *signals

	jobControl bool
	tty        int                 // the controlling terminal under job control, or -1
	pgid       int                 // the shell's own process group
	origPgid   int                 // the process group the shell started in
	modes      *unix.Termios       // the shell's terminal modes
	fgJob      atomic.Pointer[job] // the job in the foreground, if any
	jobs       *jobTable           // the main shell's jobs
	commands   int                 // commands run at the prompt, for the stopped-jobs warning
	notify     atomic.Bool         // set -b: report background jobs at once
	// leaveFreeUntil: after "There are stopped jobs.", the value of
	// commands up to which exit leaves without warning again (0: none).
	leaveFreeUntil int
	// ttyMu orders the shell's own changes of the terminal's foreground
	// group (see [Shell.reclaimTerminal]).
	ttyMu sync.Mutex
	// A ^C or ^Z caught while no job was in the foreground, in the middle of
	// a command line, waits in fgSigPending for the line's next job (see
	// [Shell.signalForeground]).
	lineMu       sync.Mutex
	lineRunning  bool
	fgSigPending unix.Signal
	// lineInterrupted is set when a foreground job of the command line
	// died of ^C: the rest of the line is dropped, as in bash.
	lineInterrupted bool

	ia interactiveState // prompt, history and line-editing state

	comp *compState // programmable completion (complete, compgen), made on first use

	// units numbers the complete commands read by the parser, and
	// aliasUnit remembers in which one each alias was defined: an alias is
	// not used in the same complete command (the same line) that defines
	// it, as the shells that parse a line before running it behave.
	units     atomic.Int64
	aliasMu   sync.Mutex
	aliasUnit map[string]int64
}

// frame is one function call's variables.
type ctlKind uint8

const (
	ctlNone ctlKind = iota
	ctlBreak
	ctlContinue
	ctlReturn
	ctlExit
)

// Runner is one shell state: variables, functions, options, traps, working
// directory and descriptors. The main shell has one; every subshell,
// pipeline element and background job runs on a copy of its own.
type Runner struct {
	sh *Shell

	vs      *varStore
	funcs   *funcTable
	aliases *aliasTable
	hash    *hashTable // the command hash, copied on write

	params []string
	arg0   string
	opts   options
	fds    fdTable
	dir    string
	umask  int

	lastStatus int
	lastBg     int
	coprocs    []*coprocRec // started here and not yet reaped
	line       uint

	ecfg *expand.Config

	ctl      ctlKind
	ctlN     int
	exitCode int

	subshellDepth int  // >0 inside ( ), pipelines and background jobs
	declSoftError bool // the last declaration's status 2 does not end a script
	funcDepth     int
	loopDepth     int
	outerLoops    int // loops around the subshell this state runs
	noErrexit     int // >0 while in a condition
	inTrap        bool
	paramsSet     int        // counts the times set changed the positional parameters
	inExitTrap    bool       // running the EXIT trap
	trapStatus    int        // $? when the running trap started
	unit          int64      // the complete command being run; 0 when not tracked
	traceDepth    int        // command substitutions nested: PS4's first character repeats
	funcNames     []string   // the functions being run, innermost last (FUNCNAME)
	srcStack      []srcFrame // function calls and sourced files, innermost last (BASH_SOURCE)
	dirStack      []string   // pushd's directories below the current one, top first
	paramErr      error      // an error elementParam found, for its caller to return
	procFds       []int      // descriptors of process substitutions of running commands
	traceFile     *File      // where a simple command's xtrace line goes: stderr before its redirections
	pipeStatus    []string   // statuses of the last pipeline; nil after a simple command (PIPESTATUS is then $?)
	lastArg       string     // $_: the last argument of the previous simple command
	lastArgSet    bool       // lastArg holds a value (else $_ is the inherited one)
	evalDepth     int        // >0 inside eval: a read-only assignment there fails eval, not the script
	evalNest      int        // evals nested, subshells included (at most maxNesting)
	attrUndo      []attrSave // attributes that functions' local declarations changed
	localOpts     []optsSave // the set options that functions' "local -" saved
	viaCommand    int        // >0 while `command` runs a builtin: special-builtin errors do not end the shell

	curStmt   *syntax.Stmt // the statement started last: $BASH_COMMAND
	debugText string       // $BASH_COMMAND in the DEBUG trap, when not curStmt's text
	trapStmt  *syntax.Stmt // curStmt when the running trap started

	traps *trapTable
	jobs  *jobTable
	// outerJobs is, in a first-level subshell, the jobs of the shell it
	// came from: the jobs builtin lists them while the subshell has none
	// of its own.
	outerJobs *jobTable

	getoptsPos  int
	cmdSubstSt  int  // status of the last command substitution
	hadCmdSubst bool // a command substitution ran in this command

	aliasActive []string
	keepRedirs  bool
	shopts      map[string]bool
	globShopts  bool
	disabled    map[string]bool // builtins turned off by enable -n; copied on write
	sourceDepth int
	bgIgnore    exec.SignalSet // signals ignored by a background job's children
	job         *job           // the job this state runs for, under job control
	onLaunch    func(pid int)  // called after each launch, if set (with 0 when a pipeline's last command ended launching nothing)
	lc          *launchCache   // kept from one launch to the next; never shared
	lastYield   time.Time      // see yieldSometimes
}

// Options configure a new shell.
type Options struct {
	Arg0        string   // $0
	Params      []string // the positional parameters $1, $2...
	Interactive bool     // the shell is interactive (spork -i; $- has i)
	Script      string   // the script file being run, for messages (Shell.Script)
	// OwnsProcess is set when this shell is the only one in its process
	// (the spork command): the main state's cd then moves the process too,
	// and its children inherit the directory.
	OwnsProcess bool
	// InheritedFds are the descriptors above 2 that the process was
	// started with and that scripts may use (as in `spork script 3>log`);
	// commands the shell runs get them too, as bash and dash pass them.
	InheritedFds []int
}

// New returns the main shell state, with the environment imported and the
// standard descriptors in place.
func New(o Options) *Runner {
	sh := &Shell{
		pid:         os.Getpid(),
		ppid:        os.Getppid(),
		start:       time.Now(),
		reaper:      jobs.NewReaper(),
		fork:        exec.NewFork(),
		spawn:       exec.NewSpawn(),
		holders:     exec.NewSpawn(),
		Name:        "spork",
		Script:      o.Script,
		Interactive: o.Interactive,
		tty:         -1,
	}
	r := &Runner{
		sh:      sh,
		vs:      newVarStore(),
		funcs:   newFuncTable(),
		aliases: newAliasTable(),
		hash:    newHashTable(),
		params:  o.Params,
		arg0:    o.Arg0,
		fds:     fdTable{stdFile(0), stdFile(1), stdFile(2)},
		traps:   newTrapTable(),
		jobs:    newJobTable(),
		shopts:  map[string]bool{},
	}
	for _, fd := range o.InheritedFds {
		r.setFd(fd, stdFile(fd))
	}
	r.opts.hashall = true
	if o.Interactive {
		r.opts.interactive = true
	}
	sh.sig = newSignals(sh)
	sh.jobs = r.jobs
	r.umask = unixUmask()
	unix.Umask(0) // each state's umask is applied where it creates files, and given to children
	r.initVars(o.OwnsProcess)
	r.initExpand()
	return r
}

func (r *Runner) initVars(ownsProcess bool) {
	r.vs.globals.importEnv(os.Environ())
	set := func(name, val string) {
		r.vs.globals[name] = expand.Variable{Set: true, Kind: expand.String, Str: val}
	}
	if _, ok := r.vs.globals["PATH"]; !ok {
		set("PATH", "/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin")
	}
	// PS1 and PS2 from the environment are kept, as in bash and dash;
	// PS4 too, except for root (bash: a trace prompt is run as code)
	setDefault := func(name, val string) {
		if _, ok := r.vs.globals[name]; !ok {
			set(name, val)
		}
	}
	if os.Geteuid() == 0 {
		setDefault("PS1", "# ")
		set("PS4", "+ ")
	} else {
		setDefault("PS1", "$ ")
		setDefault("PS4", "+ ")
	}
	setDefault("PS2", "> ")
	set("PPID", strconv.Itoa(r.sh.ppid))
	wd, err := os.Getwd()
	if pwd := r.vs.globals["PWD"].Str; pwd != "" && err == nil && sameFile(pwd, wd) && pwd[0] == '/' {
		wd = pwd
	}
	if err == nil {
		r.dir = wd
		if ownsProcess {
			r.sh.procDir.Store(&wd)
		}
		v := r.vs.globals["PWD"]
		v.Set, v.Exported, v.Kind, v.Str = true, true, expand.String, wd // exported even when not inherited, as in dash and bash
		r.vs.globals["PWD"] = v
	}
	if _, ok := r.vs.globals["SHELL"]; !ok {
		if sh := loginShellOf(os.Getuid()); sh != "" {
			set("SHELL", sh) // as bash does; not exported
		}
	}
	if _, ok := r.vs.globals["_"]; !ok && len(os.Args) > 0 {
		set("_", os.Args[0]) // $_ starts as the shell's own name, so set -u allows it
	}
	lvl, _ := strconv.Atoi(r.vs.globals["SHLVL"].Str)
	r.vs.globals["SHLVL"] = expand.Variable{Set: true, Exported: true, Kind: expand.String, Str: strconv.Itoa(lvl + 1)}
}

func (r *Runner) initExpand() {
	r.ecfg = &expand.Config{
		Env:       r,
		CmdSubst:  r.cmdSubst,
		ProcSubst: r.procSubst,
		ReadDir2:  r.readDir,
		NoUnset:   r.opts.nounset,
		NullGlob:  false,
	}
}

// subshell returns a copy of r for a subshell, pipeline element or
// background job. The copy shares nothing mutable with r.
func (r *Runner) subshell() *Runner {
	c := &Runner{
		sh:            r.sh,
		vs:            r.vs.share(),
		funcs:         r.funcs.share(),
		aliases:       r.aliases.share(),
		hash:          r.hash.share(),
		params:        r.params,
		arg0:          r.arg0,
		opts:          r.opts,
		fds:           r.fds.clone(),
		dir:           r.dir,
		umask:         r.umask,
		lastStatus:    r.lastStatus,
		lastBg:        r.lastBg,
		line:          r.line,
		subshellDepth: r.subshellDepth + 1,
		outerLoops:    r.outerLoops + r.loopDepth,
		traceDepth:    r.traceDepth,
		funcNames:     slices.Clone(r.funcNames),
		srcStack:      slices.Clone(r.srcStack),
		dirStack:      slices.Clone(r.dirStack),
		lastArg:       r.lastArg,
		lastArgSet:    r.lastArgSet,
		funcDepth:     r.funcDepth,
		traps:         r.traps.forSubshell(),
		jobs:          newJobTable(),
		outerJobs:     r.outerJobs,
		noErrexit:     r.noErrexit,
		sourceDepth:   r.sourceDepth,
		evalNest:      r.evalNest,
		bgIgnore:      r.bgIgnore,
		job:           r.job,
		onLaunch:      r.onLaunch,
		shopts:        r.shopts,
		globShopts:    r.globShopts,
		disabled:      r.disabled,
	}
	if r.subshellDepth == 0 {
		c.outerJobs = r.jobs // so that $(jobs -p) and jobs | wc -l see them, as in bash
	}
	c.traps.keepTraced(r.traps, &r.opts)
	c.opts.interactive = false
	c.rebindExpand(r)
	c.shopts = cloneShopts(r.shopts)
	return c
}

// rebindExpand gives r an expansion config of its own, with the settings
// of from's.
func (r *Runner) rebindExpand(from *Runner) {
	old := from.ecfg
	r.initExpand()
	r.ecfg.NoUnset = old.NoUnset
	r.ecfg.DotGlob, r.ecfg.ExtGlob, r.ecfg.GlobStar = old.DotGlob, old.ExtGlob, old.GlobStar
	r.ecfg.NullGlob, r.ecfg.NoCaseGlob = old.NullGlob, old.NoCaseGlob
}

// cloneShopts copies a state's shopt settings (an empty set is shared).
func cloneShopts(m map[string]bool) map[string]bool {
	if len(m) == 0 {
		return m
	}
	return maps.Clone(m)
}

// release drops the state's references when a subshell ends.
func (r *Runner) release() {
	r.fds.releaseAll()
	r.vs.release()
	r.funcs.release()
	r.aliases.release()
	r.hash.release()
}

// exit makes the state unwind and end with status.
func (r *Runner) exit(status int) {
	r.exitCode = status
	r.lastStatus = status
	r.ctl = ctlExit
}

func (r *Runner) stdout() io.Writer { return fdWriter{r, 1} }
func (r *Runner) stderr() io.Writer { return fdWriter{r, 2} }

func cut(s string, sep byte) (string, string, bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == sep {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

func sameFile(a, b string) bool {
	sa, err1 := os.Stat(a)
	sb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(sa, sb)
}
