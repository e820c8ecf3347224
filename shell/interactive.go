package shell

import (
	"errors"
	"io"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
	"mvdan.cc/sh/v3/syntax"
)

// LineEditor reads the command lines of an interactive shell. The shell
// knows nothing of how: cmd/spork gives it a line editor on a terminal,
// or plain line reading otherwise.
type LineEditor interface {
	// ReadLine shows prompt and returns the line typed, without its
	// newline. continued is set for the continuation lines of a command
	// (PS2), clear for its first line (PS1). Spans of the prompt between
	// PromptIgnoreStart and PromptIgnoreEnd print nothing visible. ReadLine
	// returns ErrInterrupted when the user types ^C (the line is dropped)
	// and io.EOF at the end of input (^D on an empty line).
	ReadLine(prompt string, continued bool) (string, error)
	// SetHistory gives the editor the history to browse (up arrow, ^R),
	// oldest entry first. The shell calls it whenever the history changed.
	SetHistory(entries []string)
	// SetCompleter installs what Tab asks for the completions of the word
	// before the cursor (line and cursor as in [Runner.Complete]).
	SetCompleter(complete func(line string, cursor int) Completion)
}

// ViModeEditor is a LineEditor that also edits in vi's way: the shell
// switches it before each line as set -o vi and set -o emacs say.
type ViModeEditor interface {
	LineEditor
	// SetViMode switches to vi keys (on) or emacs keys (off).
	SetViMode(on bool)
}

// TerminalEditor is a LineEditor that reads the shell's terminal: the
// shell gives it a function to call when a read fails (EIO) because the
// terminal's foreground process group is not the shell's. The function
// takes the terminal back when a job that is no longer in the foreground
// holds it, and reports whether it did; the editor then reads again.
type TerminalEditor interface {
	LineEditor
	// SetTerminalReclaimer gives the editor the function described above.
	SetTerminalReclaimer(reclaim func() bool)
}

// ErrInterrupted is what a [LineEditor] returns when the user interrupts
// the line being typed (^C).
var ErrInterrupted = errors.New("interrupted")

// Session is how an interactive shell is started.
type Session struct {
	// Editor reads the command lines.
	Editor LineEditor
	// Login makes the shell read /etc/profile and ~/.profile first.
	Login bool
	// Version is spork's version, for \v and \V in prompts.
	Version string
}

// interactiveState is the part of the shell's state that only an
// interactive shell uses.
type interactiveState struct {
	version       string
	hist          history
	commandNumber int    // \# in prompts
	editorGen     uint64 // history generation the editor has
	editorHasHist bool
	eofCount      int             // consecutive ^D under ignoreeof
	hx            histExpandState // history expansion's memory
	login         bool            // a login shell (suspend refuses)
}

// Interactive runs the read-eval loop of an interactive shell: it reads
// the start-up files, then reads commands with PS1 (and PS2 while a
// command is incomplete), keeps them in the history and runs them, until
// exit or the end of input. It returns the shell's status.
func (r *Runner) Interactive(s Session) int {
	ed := s.Editor
	r.sh.Interactive, r.opts.interactive = true, true
	r.opts.histexpand = true // as bash: on in an interactive shell
	r.opts.history = true
	r.sh.ia.login = s.Login
	if !r.opts.vi {
		r.opts.emacs = true // as bash: the default editing mode
	}
	r.sh.ia.version = s.Version
	r.ignoreInteractiveSignals()
	r.startJobControl()
	if te, ok := ed.(TerminalEditor); ok {
		te.SetTerminalReclaimer(func() bool { return r.sh.reclaimTerminal(nil) })
	}
	if !r.Get("PS1").Exported {
		r.setString("PS1", defaultPS1) // one from the environment stays (bash)
	}
	if !r.Get("COMP_WORDBREAKS").IsSet() {
		// as in bash, before the rc file (completion scripts read it)
		r.setString("COMP_WORDBREAKS", defaultWordbreaks)
	}
	r.initHistory()
	r.updateWindowSize()
	if s.Login {
		r.ReadLoginFiles()
	}
	if r.ctl != ctlExit {
		r.readRCFile()
	}
	if r.ctl == ctlExit {
		return r.exitCode
	}
	r.ctl = ctlNone
	r.loadHistory()
	ed.SetCompleter(r.Complete)
	r.sh.ia.commandNumber = 1
	for {
		r.beforePrompt()
		if r.sh.sig.pending.Load() {
			r.runPendingTraps()
			if r.ctl == ctlExit {
				return r.exitCode
			}
		}
		r.updateWindowSize()
		r.syncEditorHistory(ed)
		f, src, err := r.readCommand(ed)
		switch {
		case err == errHistoryDropped:
			continue
		case err == ErrInterrupted:
			r.lastStatus = 130
			// ^C at the prompt is the terminal's interrupt: a trap on INT runs, as in bash
			if cmd := r.traps.cmds[int(unix.SIGINT)]; cmd != "" {
				r.runTrap(cmd)
				if r.ctl == ctlExit {
					return r.exitCode
				}
			}
			continue
		case err == io.EOF:
			if r.opts.ignoreeof && r.sh.ia.eofCount < r.ignoreEOFLimit() {
				r.sh.ia.eofCount++
				r.errWrite("Use \"exit\" to leave the shell.\n")
				continue
			}
			r.errWrite("exit\n")
			if r.leaveAllowed() {
				return r.lastStatus
			}
			continue
		case err != nil && f == nil && src == "":
			// the terminal is gone
			r.errorf("%s", ErrorText(err))
			return r.lastStatus
		}
		r.sh.ia.eofCount = 0
		r.updateWindowSize() // the window may have changed at the prompt
		r.addHistory(historyText(src, f), src)
		if err != nil {
			r.syntaxError(err)
			r.lastStatus = 2
			continue
		}
		r.runInteractive(f)
		r.sh.ia.commandNumber++
		if r.ctl == ctlExit {
			return r.exitCode
		}
		r.ctl = ctlNone
	}
}

// ignoreEOFLimit is how many ^D in a row ignoreeof absorbs ($IGNOREEOF,
// default 10).
func (r *Runner) ignoreEOFLimit() int {
	if n, err := strconv.Atoi(r.getString("IGNOREEOF")); err == nil && n >= 0 {
		return n
	}
	return 10
}

// readCommand reads one complete command: a first line with PS1, then
// lines with PS2 while the parser says the command is incomplete (an open
// quote or here-document, if without fi, a trailing | or &&, a line ending
// in a backslash). It returns the parsed command and its text; err is a
// syntax error (with the text), ErrInterrupted, or an error of the editor
// such as io.EOF. End of input inside a command is a syntax error.
func (r *Runner) readCommand(ed LineEditor) (*syntax.File, string, error) {
	prompt := r.renderPrompt("PS1")
	if ve, ok := ed.(ViModeEditor); ok {
		ve.SetViMode(r.opts.vi)
	}
	var text strings.Builder
	var quote byte // the quoting a continuation line starts in, for history expansion
	for {
		line, err := ed.ReadLine(prompt, text.Len() > 0)
		if err == nil && r.opts.histexpand && quote != histQuoteHeredoc {
			var keep bool
			if line, keep = r.historyExpandLine(line, quote, text.Len() == 0); !keep {
				if text.Len() == 0 {
					return nil, "", errHistoryDropped
				}
				continue // bash drops a continuation line that failed
			}
		}
		if err != nil {
			if err == io.EOF && text.Len() > 0 {
				_, perr := parseCommand(text.String())
				if perr == nil {
					perr = errors.New("syntax error: unexpected end of file")
				}
				return nil, text.String(), perr
			}
			return nil, "", err
		}
		text.WriteString(line)
		text.WriteByte('\n')
		f, err := parseCommand(text.String())
		if err == nil && !endsInContinuation(text.String(), f) {
			return f, text.String(), nil
		}
		if err != nil && !syntax.IsIncomplete(err) {
			return nil, text.String(), err
		}
		quote = histQuoteOf(err)
		prompt = r.renderPrompt("PS2")
	}
}

// parseCommand parses the text typed so far, comments included.
func parseCommand(src string) (*syntax.File, error) {
	p := syntax.NewParser(syntax.Variant(syntax.LangBash), syntax.KeepComments(true))
	return p.Parse(strings.NewReader(src), "")
}

// endsInContinuation reports whether src ends in a backslash-newline
// outside a comment: the parser takes it for the end of the input, a
// shell asks for the next line.
func endsInContinuation(src string, f *syntax.File) bool {
	body := strings.TrimSuffix(src, "\n")
	n := 0
	for n < len(body) && body[len(body)-1-n] == '\\' {
		n++
	}
	if n%2 == 0 {
		return false
	}
	lastLine := uint(strings.Count(body, "\n") + 1)
	inComment := false
	syntax.Walk(f, func(node syntax.Node) bool {
		if c, ok := node.(*syntax.Comment); ok && c.Pos().Line() == lastLine {
			inComment = true
		}
		return !inComment
	})
	for _, c := range f.Last {
		if c.Pos().Line() == lastLine {
			inComment = true
		}
	}
	return !inComment
}

// historyText is a command as the history keeps it: one line, bash's
// cmdhist style, when the command was typed over several lines and can
// be printed on one; else as typed.
func historyText(src string, f *syntax.File) string {
	text := strings.TrimRight(src, "\n")
	if f == nil || !strings.Contains(text, "\n") {
		return text
	}
	var b strings.Builder
	if err := syntax.NewPrinter(syntax.SingleLine(true)).Print(&b, f); err != nil {
		return text
	}
	one := strings.TrimRight(b.String(), "\n")
	if one == "" || strings.Contains(one, "\n") {
		return text
	}
	return one
}

// runInteractive runs the statements of one command line.
func (r *Runner) runInteractive(f *syntax.File) {
	r.sh.commandLine(true)
	defer r.sh.commandLine(false)
	r.sh.lineInterrupted = false
	for _, s := range f.Stmts {
		if !r.runTop(s) || r.sh.lineInterrupted {
			break
		}
	}
}

// syncEditorHistory hands the history to the editor when it changed.
func (r *Runner) syncEditorHistory(ed LineEditor) {
	entries, gen := r.sh.ia.hist.snapshot()
	if r.sh.ia.editorHasHist && gen == r.sh.ia.editorGen {
		return
	}
	ed.SetHistory(entries)
	r.sh.ia.editorGen, r.sh.ia.editorHasHist = gen, true
}

// updateWindowSize sets COLUMNS and LINES from the terminal's size. The
// loop calls it before each prompt and before running each command line,
// so a command sees the size the window has when it starts (bash updates
// them on SIGWINCH and after each command).
func (r *Runner) updateWindowSize() {
	for _, fd := range []int{2, 0, 1} {
		ws, err := unix.IoctlGetWinsize(fd, unix.TIOCGWINSZ)
		if err != nil || ws.Col == 0 {
			continue
		}
		for name, n := range map[string]uint16{"COLUMNS": ws.Col, "LINES": ws.Row} {
			v := strconv.Itoa(int(n))
			if r.getString(name) != v {
				r.setString(name, v)
			}
		}
		return
	}
}
