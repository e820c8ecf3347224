package shell

import (
	"errors"
	"fmt"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// Run executes a list of statements and returns the last status.
func (r *Runner) Run(stmts []*syntax.Stmt) int {
	r.stmts(stmts)
	return r.lastStatus
}

// RunStmt executes one top-level statement.
func (r *Runner) RunStmt(s *syntax.Stmt) int {
	r.stmt(s)
	return r.lastStatus
}

func (r *Runner) stmts(list []*syntax.Stmt) {
	for _, s := range list {
		r.stmt(s)
		if r.ctl != ctlNone {
			return
		}
	}
}

func (r *Runner) stmt(s *syntax.Stmt) {
	if r.sh.sig.pending.Load() {
		r.runPendingTraps()
		if r.ctl != ctlNone {
			return
		}
	}
	if s.Background {
		r.background(s)
		return
	}
	if r.job != nil && r.job.attn.Load() && r.jobAttention() {
		return
	}
	if r.runsAsForegroundJob() {
		r.foregroundJob(s)
		return
	}
	r.line = s.Pos().Line()
	r.curStmt = s
	if cmd, ok := r.debugDue(); ok && debugPoint(s.Cmd) {
		r.runDebugTrap(cmd, debugText(s.Cmd))
		if r.ctl != ctlNone {
			return
		}
	}
	if s.Negated {
		r.noErrexit++
	}
	var st int
	procMark := len(r.procFds)
	redirFailed := false
	if len(s.Redirs) == 0 {
		st = r.command(s.Cmd)
	} else if run, ok := r.expandBeforeRedirs(s.Cmd); !ok {
		st = 1
	} else {
		ran := false
		st = r.withRedirs(s, func() int { ran = true; return run() })
		redirFailed = !ran
	}
	if len(r.procFds) > procMark {
		r.closeProcSubsts(procMark)
	}
	if s.Negated {
		r.noErrexit--
		if st == 0 {
			st = 1
		} else {
			st = 0
		}
	}
	if r.ctl == ctlExit {
		return
	}
	r.lastStatus = st
	// a compound command whose own redirection failed is judged by that
	// failure (bash and dash exit under set -e)
	if st != 0 && r.noErrexit == 0 && !s.Negated && (errexitApplies(s.Cmd) || redirFailed) && !(redirFailed && isBashAtom(s.Cmd)) {
		if cmd, ok := r.traps.cmds[trapERR]; ok && cmd != "" && !r.inTrap {
			// $LINENO in the trap counts from the failed command's line,
			// as in bash
			if l := s.Pos().Line(); l > 1 {
				cmd = strings.Repeat("\n", int(l)-1) + cmd
			}
			r.runTrap(cmd)
			r.lastStatus = st
		}
		if r.opts.errexit {
			r.exit(st)
		}
	}
	if r.sh.sig.pending.Load() && r.ctl == ctlNone {
		// a signal that arrived during the command is handled after it
		r.runPendingTraps()
	}
}

// isBashAtom reports whether cmd is [[ ]] or (( )), whose failed
// redirections set -e ignores, as osh and older bash does.
func isBashAtom(cmd syntax.Command) bool {
	switch cmd.(type) {
	case *syntax.TestClause, *syntax.ArithmCmd:
		return true
	}
	return false
}

// errexitApplies reports whether set -e looks at the status of cmd itself
// (compound commands are judged by the commands inside them).
func errexitApplies(cmd syntax.Command) bool {
	switch c := cmd.(type) {
	case *syntax.BinaryCmd:
		return c.Op == syntax.Pipe || c.Op == syntax.PipeAll
	case *syntax.Block, *syntax.IfClause, *syntax.WhileClause, *syntax.ForClause,
		*syntax.CaseClause, *syntax.FuncDecl:
		return false
	}
	return true
}

// expandBeforeRedirs returns how to run cmd once its redirections are
// made. A simple command's words, and the arguments of export, readonly
// …, are expanded first, as POSIX orders it (a $(...) among them writes to
// the old stderr); ok is false when that expansion failed (reported).
func (r *Runner) expandBeforeRedirs(cmd syntax.Command) (run func() int, ok bool) {
	switch c := cmd.(type) {
	case *syntax.CallExpr:
		if len(c.Args) == 0 || r.isAliasCall(c) || r.negatedSubshellOf(c) != nil {
			break // call sees to these
		}
		args, ok := r.commandWords(c)
		if !ok {
			return nil, false
		}
		r.pipeStatus = nil // PIPESTATUS is now this command's status
		return func() int {
			st := r.callFields(c, args)
			r.pipeStatus = nil
			return st
		}, true
	case *syntax.DeclClause:
		items, ok := r.declItems(c)
		if !ok {
			return nil, false
		}
		return func() int { return r.declRun(c, items) }, true
	}
	return func() int { return r.command(cmd) }, true
}

func (r *Runner) command(cmd syntax.Command) int {
	switch c := cmd.(type) {
	case nil:
		return 0
	case *syntax.CallExpr:
		st := r.call(c)
		r.pipeStatus = nil // PIPESTATUS is now this command's status
		return st
	case *syntax.BinaryCmd:
		switch c.Op {
		case syntax.AndStmt, syntax.OrStmt:
			r.noErrexit++
			r.stmt(c.X)
			r.noErrexit--
			if r.ctl != ctlNone {
				return r.lastStatus
			}
			if (r.lastStatus == 0) == (c.Op == syntax.AndStmt) {
				r.stmt(c.Y)
			}
			return r.lastStatus
		default:
			return r.pipeline(c)
		}
	case *syntax.Block:
		r.stmts(c.Stmts)
		return r.lastStatus
	case *syntax.Subshell:
		return r.subshellRun(func(c2 *Runner) { c2.stmts(c.Stmts) })
	case *syntax.IfClause:
		return r.ifClause(c)
	case *syntax.WhileClause:
		return r.whileClause(c)
	case *syntax.ForClause:
		return r.forClause(c)
	case *syntax.CaseClause:
		return r.caseClause(c)
	case *syntax.FuncDecl:
		if c.Name == nil {
			return 0
		}
		if list := splitFuncBody(c); list != nil {
			return r.command(list)
		}
		r.setFunc(c.Name.Value, c.Body)
		r.sh.funcFiles.Store(c.Body, r.curFile())
		return 0
	case *syntax.ArithmCmd:
		if r.opts.xtrace {
			r.trace("((" + arithSource(c.X) + "))")
		}
		return r.arithStatus(c.X)
	case *syntax.TestClause:
		if r.opts.xtrace {
			r.trace("[[ " + r.traceTest(c.X) + " ]]")
		}
		ok, err := r.testClause(c.X)
		if err != nil {
			if err != errBadRegex && r.arithCommandError(err) {
				return 1
			}
			return 2
		}
		if ok {
			return 0
		}
		return 1
	case *syntax.DeclClause:
		return r.declClause(c)
	case *syntax.LetClause:
		if r.disabled["let"] {
			// enable -n let: a command named let (its words as written)
			args := []string{"let"}
			for _, x := range c.Exprs {
				args = append(args, compactArith(x))
			}
			return r.callArgs(nil, args)
		}
		if r.opts.xtrace {
			words := []string{"let"}
			for _, x := range c.Exprs {
				words = append(words, compactArith(x))
			}
			r.trace(strings.Join(words, " "))
		}
		return r.arithStatus(c.Exprs...)
	case *syntax.TimeClause:
		return r.timeClause(c)
	case *syntax.CoprocClause:
		return r.coproc(c)
	case *syntax.TestDecl:
		return 0
	}
	r.errorf("unsupported command %T", cmd)
	return 2
}

func (r *Runner) ifClause(c *syntax.IfClause) int {
	for c != nil {
		if len(c.Cond) == 0 { // else
			r.stmts(c.Then)
			return r.lastStatus
		}
		r.noErrexit++
		r.stmts(c.Cond)
		r.noErrexit--
		if r.ctl != ctlNone {
			return r.lastStatus
		}
		if r.lastStatus == 0 {
			r.stmts(c.Then)
			return r.lastStatus
		}
		c = c.Else
	}
	return 0
}

// loopControl handles break and continue after a loop body; it reports
// whether the loop must stop.
func (r *Runner) loopControl() (stop bool) {
	switch r.ctl {
	case ctlBreak:
		r.ctlN--
		if r.ctlN <= 0 {
			r.ctl = ctlNone
		}
		return true
	case ctlContinue:
		r.ctlN--
		if r.ctlN <= 0 {
			r.ctl = ctlNone
			return false
		}
		return true
	case ctlNone:
		return false
	}
	return true
}

func (r *Runner) whileClause(c *syntax.WhileClause) int {
	r.loopDepth++
	defer func() { r.loopDepth-- }()
	status := 0
	for {
		r.noErrexit++
		r.stmts(c.Cond)
		r.noErrexit--
		if r.ctl != ctlNone {
			if r.loopControl() {
				return status
			}
			continue
		}
		if (r.lastStatus == 0) == c.Until {
			return status
		}
		r.stmts(c.Do)
		status = r.lastStatus
		if r.loopControl() {
			return status
		}
	}
}

func (r *Runner) forClause(c *syntax.ForClause) int {
	r.loopDepth++
	defer func() { r.loopDepth-- }()
	status := 0
	switch l := c.Loop.(type) {
	case *syntax.WordIter:
		if !checkName(l.Name.Value) {
			// a syntax error in dash and osh (status 2); the parser lets it by
			r.errorf("`%s': not a valid identifier", l.Name.Value)
			r.exit(2)
			return 2
		}
		var items []string
		if l.InPos.IsValid() {
			var err error
			items, err = r.fields(r.linenoWords(l.Items)...)
			if err != nil {
				r.expandError(err)
				if r.opts.errexit && r.noErrexit == 0 && r.ctl == ctlNone {
					r.exit(1) // the loop's words failed: set -e applies
				}
				return 1
			}
		} else {
			items = r.params
		}
		name := l.Name.Value
		if c.Select {
			return r.selectLoop(name, items, c.Do)
		}
		for _, it := range items {
			if cmd, ok := r.debugDue(); ok {
				r.runDebugTrap(cmd, forHeader(l))
				if r.ctl != ctlNone {
					return r.lastStatus
				}
			}
			if err := r.setString(name, it); err != nil {
				r.errorf("%v", err)
				if r.opts.errexit && r.noErrexit == 0 && r.ctl == ctlNone {
					r.exit(1) // the loop itself failed: set -e applies (bash)
				}
				return 1
			}
			r.stmts(c.Do)
			status = r.lastStatus
			if r.loopControl() {
				break
			}
		}
	case *syntax.CStyleLoop:
		traceArith := func(x syntax.ArithmExpr) {
			if r.opts.xtrace {
				r.trace("(( " + compactArith(x) + " ))")
			}
		}
		traceArith(l.Init)
		if l.Init != nil {
			if _, err := r.arith(l.Init); err != nil {
				r.arithCommandError(err)
				return 1
			}
		}
		for {
			traceArith(l.Cond)
			if l.Cond != nil {
				n, err := r.arith(l.Cond)
				if err != nil {
					r.arithCommandError(err)
					return 1
				}
				if n == 0 {
					break
				}
			}
			r.stmts(c.Do)
			status = r.lastStatus
			if r.loopControl() {
				break
			}
			traceArith(l.Post)
			if l.Post != nil {
				if _, err := r.arith(l.Post); err != nil {
					r.arithCommandError(err)
					return 1
				}
			}
		}
	}
	return status
}

func (r *Runner) selectLoop(name string, items []string, body []*syntax.Stmt) int {
	for {
		for i, it := range items {
			fmt.Fprintf(r.stderr(), "%d) %s\n", i+1, it)
		}
		ps3 := "#? " // bash's prompt when PS3 is unset
		if v := r.Get("PS3"); v.IsSet() {
			ps3 = v.String()
		}
		fmt.Fprint(r.stderr(), ps3)
		line, ok := r.readLine(0)
		if !ok {
			return 1
		}
		r.setString("REPLY", line)
		var n int
		fmt.Sscan(strings.TrimSpace(line), &n)
		val := ""
		if n >= 1 && n <= len(items) {
			val = items[n-1]
		}
		r.setString(name, val)
		r.stmts(body)
		if r.loopControl() {
			return r.lastStatus
		}
	}
}

func (r *Runner) caseClause(c *syntax.CaseClause) int {
	word, err := r.literal(c.Word)
	if err != nil {
		r.expandError(err)
		return 1
	}
	for i := 0; i < len(c.Items); i++ {
		it := c.Items[i]
		matched := false
		for _, p := range it.Patterns {
			pat, err := r.patternOf(p)
			if err != nil {
				r.expandError(err)
				return 1
			}
			if r.matchCase(pat, word) {
				matched = true
				break
			}
		}
		if !matched {
			continue
		}
		if len(it.Stmts) == 0 {
			r.lastStatus = 0 // an empty body succeeds
		}
		r.stmts(it.Stmts)
		if r.ctl != ctlNone {
			return r.lastStatus
		}
		for it.Op == syntax.Fallthrough && i+1 < len(c.Items) {
			i++
			it = c.Items[i]
			r.stmts(it.Stmts)
			if r.ctl != ctlNone {
				return r.lastStatus
			}
		}
		if it.Op != syntax.Resume && it.Op != syntax.ResumeKorn {
			return r.lastStatus
		}
	}
	return 0
}

// subshellRun runs fn on a copy of the state and returns its status.
func (r *Runner) subshellRun(fn func(*Runner)) int {
	c := r.subshell()
	st := c.runAsSubshell(fn)
	return st
}

// runAsSubshell runs fn as the body of a subshell, runs its EXIT trap and
// releases it.
func (r *Runner) runAsSubshell(fn func(*Runner)) int {
	defer r.release()
	r.guard(func() { fn(r) })
	if r.ctl == ctlExit {
		r.lastStatus = r.exitCode
	}
	r.ctl = ctlNone
	r.runExitTrap()
	return r.lastStatus
}

// guard runs fn, and turns a Go panic in it (a bug in spork, or in a
// library it uses) into an error message and status 2 for the command that
// hit it: no stack trace reaches the user, and the shell goes on as after a
// failed command.
func (r *Runner) guard(fn func()) {
	defer func() {
		if v := recover(); v != nil {
			r.errorf("internal error: %v", v)
			r.lastStatus = 2
		}
	}()
	fn()
}

func printNode(n syntax.Node) string {
	var b strings.Builder
	syntax.NewPrinter(syntax.Minify(false)).Print(&b, n)
	return b.String()
}

// arithStatus evaluates expressions in turn, as (( )) and let do: the
// status is 0 when the last value is not zero, 1 otherwise or on error.
func (r *Runner) arithStatus(exprs ...syntax.ArithmExpr) int {
	n := 0
	for _, x := range exprs {
		var err error
		if n, err = r.arithX(x); err != nil {
			r.arithCommandError(err)
			return 1
		}
	}
	if n == 0 {
		return 1
	}
	return 0
}

// arithCommandError reports an error met by (( )), let, for (( )) or the
// arithmetic of [[ ]]: an arithmetic error fails the command and the script
// goes on, as in bash ($(( )) in a word ends it); other expansion errors
// are handled as anywhere else. It reports whether err was an arithmetic
// error.
func (r *Runner) arithCommandError(err error) bool {
	if ae := (arithError{}); errors.As(err, &ae) {
		r.errorf("%s", ae.Error())
		return true
	}
	r.expandError(err)
	return false
}

// compactArith prints an arithmetic expression without spaces, as a for
// ((;;)) loop's parts are usually written; an empty part is bash's 1.
func compactArith(x syntax.ArithmExpr) string {
	if x == nil {
		return "1"
	}
	return strings.ReplaceAll(arithSource(x), " ", "")
}

// traceTest prints a [[ ]] expression for xtrace with its words expanded.
func (r *Runner) traceTest(x syntax.TestExpr) string {
	switch x := x.(type) {
	case *syntax.Word:
		s, err := r.literal(x)
		if err != nil {
			return printNode(x)
		}
		return s
	case *syntax.BinaryTest:
		return r.traceTest(x.X) + " " + x.Op.String() + " " + r.traceTest(x.Y)
	case *syntax.UnaryTest:
		return x.Op.String() + " " + r.traceTest(x.X)
	case *syntax.ParenTest:
		return "( " + r.traceTest(x.X) + " )"
	}
	return ""
}

// splitFuncBody undoes the parser's reading of "f() { ...; } | cmd" (or
// && cmd, || cmd) as a function whose body is the whole list: a function
// body is one compound command, so that is a list whose first command
// defines f. It returns nil for a body that is not such a list.
func splitFuncBody(fd *syntax.FuncDecl) syntax.Command {
	bc, ok := fd.Body.Cmd.(*syntax.BinaryCmd)
	if !ok || fd.Body.Negated || fd.Body.Background || len(fd.Body.Redirs) > 0 {
		return nil
	}
	var rebuild func(b *syntax.BinaryCmd) *syntax.BinaryCmd
	rebuild = func(b *syntax.BinaryCmd) *syntax.BinaryCmd {
		nb := *b
		x := *b.X
		if xb, ok := x.Cmd.(*syntax.BinaryCmd); ok && !x.Negated && !x.Background && len(x.Redirs) == 0 {
			x.Cmd = rebuild(xb)
		} else {
			def := *fd
			def.Body = b.X
			x = syntax.Stmt{Position: b.X.Position, Cmd: &def}
		}
		nb.X = &x
		return &nb
	}
	return rebuild(bc)
}
