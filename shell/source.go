package shell

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"syscall"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"
)

// newParser returns a parser for spork's language (bash's dialect).
func newParser() *syntax.Parser {
	return syntax.NewParser(syntax.Variant(syntax.LangBash))
}

// RunReader parses and runs a script one command at a time, as shells do:
// commands before a syntax error run, and the error ends the script with
// status 2. It returns the shell's exit status.
func (r *Runner) RunReader(rd io.Reader, name string) int {
	err := r.runStream(rd)
	if r.ctl == ctlExit || r.ctl == ctlReturn {
		if r.ctl == ctlExit {
			r.lastStatus = r.exitCode
		}
		r.ctl = ctlNone
		return r.lastStatus
	}
	if err != nil {
		r.syntaxError(err)
		return 2
	}
	return r.lastStatus
}

// runStream parses and runs statements one at a time until the input
// ends, a syntax error, or exit/return.
func (r *Runner) runStream(rd io.Reader) error {
	savedUnit := r.unit
	defer func() { r.unit = savedUnit }()
	line := uint(0)
	var text string    // the whole text, when it is at hand
	var lines []string // its lines, for set -v, split when first needed
	printed := uint(0)
	// $'...' with \cX needs ansiControls, a walk of the statement that
	// would slow every script: only when the text holds a \c
	ctlEscapes := false
	var rec *recordingReader
	runTop := func(s *syntax.Stmt) bool {
		if ctlEscapes || rec != nil && rec.sawCtlEscape {
			ansiControls(s)
		}
		if l := s.Pos().Line(); l != line || r.unit == 0 {
			line = l
			r.unit = r.sh.units.Add(1)
		}
		if r.opts.verbose && text != "" {
			// set -v echoes the input lines as read, once each
			if lines == nil {
				lines = strings.Split(text, "\n")
			}
			for n := max(printed+1, s.Pos().Line()); n <= s.End().Line() && int(n) <= len(lines); n++ {
				r.errWrite(lines[n-1] + "\n")
				printed = n
			}
			return r.runStmtTop(s)
		}
		return r.runTop(s)
	}
	if sr, ok := rd.(*strings.Reader); ok {
		// A whole text at hand: parse it at once when it is valid (the
		// streaming parser runs a statement before reading here-documents
		// that follow it on the same line); stream only to run what
		// precedes a syntax error.
		src := make([]byte, sr.Len())
		sr.Read(src)
		text = string(src)
		f, err := newParser().Parse(strings.NewReader(text), "")
		if err != nil {
			if fixed, ok := deferArithErrors(string(src), err); ok {
				src = []byte(fixed)
				f, err = newParser().Parse(strings.NewReader(fixed), "")
			}
		}
		ctlEscapes = bytes.Contains(src, []byte(`\c`))
		if err == nil {
			for _, s := range f.Stmts {
				if !runTop(s) {
					break
				}
			}
			return nil
		}
		rd = strings.NewReader(string(src))
		return parseLines(newParser(), rd, runTop)
	}
	// Read as needed, keeping the text, so that a syntax error that
	// deferArithErrors can mend is mended here too: the rest of the input
	// is read then, and the statements not yet run are run from it.
	rec = &recordingReader{r: rd}
	ran := 0 // offset of the end of the last statement run
	err := parseLines(newParser(), rec, func(s *syntax.Stmt) bool {
		ran = int(s.End().Offset())
		return runTop(s)
	})
	var pe syntax.ParseError
	if err == nil || !errors.As(err, &pe) {
		return err
	}
	rest, _ := io.ReadAll(rd)
	// (a bad ${...} stays a syntax error here, as osh has it)
	fixed, ok := mendParseErrors(rec.buf.String()+string(rest), err, false)
	if !ok {
		return err
	}
	f, ferr := newParser().Parse(strings.NewReader(fixed), "")
	if ferr != nil {
		return err
	}
	ctlEscapes = strings.Contains(fixed, `\c`)
	for _, s := range f.Stmts {
		if int(s.Pos().Offset()) >= ran && !runTop(s) {
			break
		}
	}
	return nil
}

// recordingReader keeps a copy of what is read through it, and notes
// whether a \c was among it.
type recordingReader struct {
	r            io.Reader
	buf          strings.Builder
	sawCtlEscape bool
}

func (rr *recordingReader) Read(p []byte) (int, error) {
	n, err := rr.r.Read(p)
	from := max(rr.buf.Len()-1, 0) // a \c may span two reads
	rr.buf.Write(p[:n])
	if !rr.sawCtlEscape {
		rr.sawCtlEscape = strings.Contains(rr.buf.String()[from:], `\c`)
	}
	return n, err
}

// parseLines parses rd a line at a time, as shells read scripts, and
// gives each statement to fn until fn returns false: the commands of a
// line (with the here-documents that follow it and the lines a compound
// command spans) run only once all of it has parsed, so a syntax error
// stops the line before any of its commands ran. mvdan's iterator may
// yield once more after the loop stopped (a pending here-document or a
// second error), which the runtime turns into a panic; that one is
// recovered, as the loop is over anyway.
func parseLines(p *syntax.Parser, rd io.Reader, fn func(*syntax.Stmt) bool) (err error) {
	stopped := false
	defer func() {
		if stopped {
			recover()
		}
	}()
	for stmts, perr := range p.InteractiveSeq(&endNewline{rd: rd}) {
		if perr != nil {
			stopped = true
			return perr
		}
		if p.Incomplete() {
			continue
		}
		for _, s := range stmts {
			if !fn(s) {
				stopped = true
				return nil
			}
		}
	}
	return nil
}

// endNewline ends its reader's text with a newline when it lacks one, so
// the line-at-a-time parser also hands over the last line.
type endNewline struct {
	rd   io.Reader
	last byte
	done bool
}

func (e *endNewline) Read(p []byte) (int, error) {
	if e.done {
		return 0, io.EOF
	}
	n, err := e.rd.Read(p)
	if n > 0 {
		e.last = p[n-1]
		return n, nil
	}
	if err == io.EOF {
		e.done = true
		if e.last != 0 && e.last != '\n' && len(p) > 0 {
			p[0] = '\n'
			return 1, nil
		}
	}
	return n, err
}

// runTop runs one top-level statement; it reports whether to go on.
func (r *Runner) runTop(s *syntax.Stmt) bool {
	if r.opts.verbose {
		r.errWrite(printNode(s) + "\n")
	}
	return r.runStmtTop(s)
}

// runStmtTop runs a top-level statement (unless set -n); it reports
// whether to go on.
func (r *Runner) runStmtTop(s *syntax.Stmt) bool {
	if r.opts.noexec {
		return true
	}
	r.guard(func() { r.stmt(s) })
	if (r.ctl == ctlBreak || r.ctl == ctlContinue) && r.loopDepth == 0 {
		r.ctl = ctlNone
	}
	return r.ctl == ctlNone
}

// Exit runs the EXIT trap and returns the final status of the shell.
func (r *Runner) Exit(status int) int {
	r.lastStatus = status
	r.sh.sig.flush() // a signal sent during the last command is not lost
	if r.sh.sig.pending.Load() {
		r.runPendingTraps() // a signal that arrived during the last command
		if r.ctl == ctlNone {
			r.lastStatus = status
		}
	}
	r.runExitTrap()
	r.sh.endJobControl()
	if r.ctl == ctlExit {
		return r.exitCode
	}
	return status
}

// syntaxError reports a parse error with line and column.
func (r *Runner) syntaxError(err error) {
	var pe syntax.ParseError
	if errors.As(err, &pe) {
		r.line = pe.Pos.Line()
		r.errorf("syntax error at line %d, column %d: %s", pe.Pos.Line(), pe.Pos.Col(), pe.Text)
		return
	}
	var le syntax.LangError
	if errors.As(err, &le) {
		r.line = le.Pos.Line()
		r.errorf("syntax error at line %d, column %d: %s", le.Pos.Line(), le.Pos.Col(), le.Error())
		return
	}
	r.errorf("%v", err)
}

func syntaxErrorText(err error) string {
	var pe syntax.ParseError
	if errors.As(err, &pe) {
		return fmt.Sprintf("syntax error at line %d, column %d: %s", pe.Pos.Line(), pe.Pos.Col(), pe.Text)
	}
	return err.Error()
}

func (r *Runner) errWrite(s string) {
	if fd := r.fdOf(2); fd >= 0 {
		writeFd(fd, []byte(s))
	}
}

// evalString parses and runs src in the current state (eval, traps).
func (r *Runner) evalString(src, what string) int {
	p := newParser()
	f, err := p.Parse(strings.NewReader(src), "")
	if err != nil {
		if fixed, ok := deferArithErrors(src, err); ok {
			f, err = newParser().Parse(strings.NewReader(fixed), "")
		}
	}
	if err != nil {
		// status 2, and the script goes on, as in bash and osh (dash
		// ends it)
		r.syntaxError(err)
		r.lastStatus = 2
		return 2
	}
	if len(f.Stmts) == 0 {
		r.lastStatus = 0
	}
	// An alias defined on one line of the text applies from the next one
	// on, as when the text is read from a file: each later line is a unit
	// of its own (see aliasUsable).
	outer, line := r.unit, uint(0)
	defer func() { r.unit = outer }()
	for i, st := range f.Stmts {
		if l := st.Pos().Line(); i > 0 && l != line && r.unit != 0 {
			r.unit = r.sh.units.Add(1)
		}
		line = st.Pos().Line()
		r.stmt(st)
		if r.ctl != ctlNone {
			break
		}
	}
	return r.lastStatus
}

// runSource runs a script's text in the current state, as . does.
func (r *Runner) runSource(src, name string) int {
	if r.sourceDepth >= maxNesting {
		r.errorf("%s: maximum source nesting level exceeded (%d)", name, maxNesting)
		r.exit(2)
		return 2
	}
	r.sourceDepth++
	r.srcStack = append(r.srcStack, srcFrame{file: name, line: int(r.line)})
	defer func() { r.sourceDepth--; r.srcStack = r.srcStack[:len(r.srcStack)-1] }()
	r.lastStatus = 0
	if err := r.runStream(strings.NewReader(src)); err != nil && r.ctl == ctlNone {
		// the commands before the error ran; . returns 2 (bash and osh go
		// on, dash ends the script)
		r.syntaxError(err)
		r.lastStatus = 2
	}
	r.runReturnTrap() // a sourced file ends as a function does (bash)
	return r.lastStatus
}

// dotBuiltin implements . and source.
func dotBuiltin(r *Runner, args []string) int {
	if len(args) > 1 && args[1] == "--" {
		args = append(args[:1:1], args[2:]...)
	}
	if len(args) < 2 {
		return r.usageError(args[0], "filename argument required")
	}
	name := args[1]
	path := name
	if !strings.Contains(name, "/") {
		path = ""
		for dir := range strings.SplitSeq(r.getString("PATH"), ":") {
			if dir == "" {
				dir = "."
			}
			p := dir + "/" + name
			if st, err := os.Stat(r.abs(p)); err == nil && st.Mode().IsRegular() {
				path = p
				break
			}
		}
		if path == "" && fileExists(r.abs(name)) {
			path = name // as bash: the current directory after PATH
		}
		if path == "" {
			r.errorf("%s: %s: file not found", args[0], name)
			if args[0] == "." && r.specialErrorExits() {
				r.exit(2)
			}
			return 1
		}
	}
	data, err := os.ReadFile(r.devFdPath(r.abs(path)))
	if err != nil {
		// . is a special builtin whose errors end a script; bash's
		// source is not
		r.errorf("%s: %s: %s", args[0], name, ErrorText(err))
		// a directory is not fatal: bash returns 1, dash reads nothing
		if args[0] == "." && r.specialErrorExits() && !errors.Is(err, syscall.EISDIR) {
			r.exit(2)
		}
		return 1
	}
	var saved []string
	if len(args) > 2 {
		saved = r.params
		r.params = args[2:]
	}
	setCount := r.paramsSet
	st := r.runSource(string(data), name)
	if r.ctl == ctlReturn {
		r.ctl = ctlNone
	}
	if saved != nil && (r.paramsSet == setCount || r.funcDepth > 0) {
		// the arguments end with the file, unless it set others with
		// set outside any function (bash)
		r.params = saved
	}
	return st
}

func evalBuiltin(r *Runner, args []string) int {
	if len(args) > 1 && args[1] == "--" {
		args = args[1:]
	} else if len(args) > 1 && len(args[1]) > 1 && args[1][0] == '-' {
		// as bash: an option is an error (not fatal; dash runs it as a command)
		r.errorf("eval: %s: invalid option", args[1])
		return 2
	}
	src := strings.Join(args[1:], " ")
	if strings.TrimSpace(src) == "" {
		return 0
	}
	if r.evalNest >= maxNesting {
		r.errorf("eval: maximum eval nesting level exceeded (%d)", maxNesting)
		r.exit(2)
		return 2
	}
	r.evalDepth++
	r.evalNest++
	defer func() { r.evalDepth--; r.evalNest-- }()
	return r.evalString(src, "eval")
}

// document expands a here-document body.
func (r *Runner) document(w *syntax.Word) (string, error) {
	w, err := r.preArith(w)
	if err != nil {
		return "", err
	}
	return expand.Document(r.ecfg, w)
}

func syntaxArith(s string) (syntax.ArithmExpr, error) {
	return syntax.NewParser().Arithmetic(strings.NewReader(s))
}

func init() {
	builtins["."] = dotBuiltin
	builtins["source"] = dotBuiltin
	builtins["eval"] = evalBuiltin
}

// ansiControls rewrites the control-character escapes \cX of the $'...'
// strings under node, which the expansion library leaves as they are,
// into the characters they stand for (\c@ and the like, NUL, end the
// string, as in bash).
func ansiControls(node syntax.Node) {
	syntax.Walk(node, func(n syntax.Node) bool {
		q, ok := n.(*syntax.SglQuoted)
		if !ok || !q.Dollar || !strings.Contains(q.Value, `\c`) {
			return true
		}
		v := q.Value
		var b strings.Builder
		for i := 0; i < len(v); i++ {
			if v[i] != '\\' || i+1 >= len(v) {
				b.WriteByte(v[i])
				continue
			}
			if v[i+1] != 'c' || i+2 >= len(v) {
				b.WriteString(v[i : i+2])
				i++
				continue
			}
			c := v[i+2]
			i += 2
			if c == '\\' && i+1 < len(v) && v[i+1] == '\\' {
				i++ // \c\\ is control-backslash
			}
			c &= 0x1f
			if v[i] == '?' {
				c = 0x7f
			}
			if c == 0 {
				b.WriteString(`\0`)
				break
			}
			b.WriteByte(c)
		}
		q.Value = b.String()
		return true
	})
}

// runReturnTrap runs the RETURN trap, if one is set, as a function or a
// sourced file ends: the way it ended (return, break) stands unless the
// trap itself returns or exits.
func (r *Runner) runReturnTrap() {
	cmd := r.traps.cmds[trapRETURN]
	if cmd == "" || r.ctl == ctlExit {
		return
	}
	ctl := r.ctl
	r.ctl = ctlNone
	r.runTrap(cmd)
	if r.ctl == ctlNone {
		r.ctl = ctl
	}
}

// srcFrame is one level of bash's call stack: a function call (body, the
// function's) or a sourced file (file), and the line it was called from.
type srcFrame struct {
	file string
	body *syntax.Stmt
	line int
}

// fileOf is the file of a frame: the one sourced, or the one that defined
// the function (looked up only when asked: calls are many, questions few).
func (r *Runner) fileOf(f srcFrame) string {
	if f.body == nil {
		return f.file
	}
	file, _ := r.sh.funcFiles.Load(f.body)
	s, _ := file.(string)
	return s
}

// curFile is the file whose commands are running: the innermost sourced
// file or function's, or the script's ("main" for standard input and -c,
// as bash names it).
func (r *Runner) curFile() string {
	if n := len(r.srcStack); n > 0 {
		return r.fileOf(r.srcStack[n-1])
	}
	if r.sh.Script == "" {
		return "main"
	}
	return r.sh.Script
}

// bashSource returns BASH_SOURCE or BASH_LINENO, innermost first: one
// entry per level of the stack, then the script's (line 0) when there is
// a script file.
func (r *Runner) bashSource(lines bool) []string {
	list := make([]string, 0, len(r.srcStack)+1)
	for i := len(r.srcStack) - 1; i >= 0; i-- {
		if lines {
			list = append(list, itoa(r.srcStack[i].line))
		} else {
			list = append(list, r.fileOf(r.srcStack[i]))
		}
	}
	if r.sh.Script != "" {
		if lines {
			list = append(list, "0")
		} else {
			list = append(list, r.sh.Script)
		}
	}
	return list
}

// callerBuiltin implements bash's caller [n]: the line and file of the
// current function's call, or with n the line, function and file of
// frame n.
func callerBuiltin(r *Runner, args []string) int {
	lines, files, fns := r.bashSource(true), r.bashSource(false), r.funcStack()
	if len(args) < 2 {
		switch {
		case len(r.srcStack) == 0 && r.sh.Script != "":
			return r.out("0 NULL\n")
		case len(r.srcStack) == 0:
			return 1
		case len(files) < 2:
			return r.out(lines[0] + " NULL\n")
		default:
			return r.out(lines[0] + " " + files[1] + "\n")
		}
	}
	n, err := strconv.Atoi(args[1])
	if err != nil || n < 0 {
		r.errorf("caller: %s: invalid number", args[1])
		return 2
	}
	if n+1 >= len(files) || n+1 >= len(fns) || n >= len(lines) {
		return 1
	}
	return r.out(lines[n] + " " + fns[n+1] + " " + files[n+1] + "\n")
}

// funcStack is FUNCNAME: the functions being run, innermost first, with
// "source" for a sourced file and "main" for the script file, as bash.
func (r *Runner) funcStack() []string {
	list := make([]string, 0, len(r.srcStack)+1)
	fn := len(r.funcNames) - 1
	for i := len(r.srcStack) - 1; i >= 0; i-- {
		if r.srcStack[i].body != nil && fn >= 0 {
			list = append(list, r.funcNames[fn])
			fn--
		} else if r.srcStack[i].body == nil {
			list = append(list, "source")
		}
	}
	if r.sh.Script != "" {
		list = append(list, "main")
	}
	return list
}
