package main

import (
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/chzyer/readline"
	"github.com/spork-sh/spork/shell"
	"golang.org/x/sys/unix"
)

// lineEditor is the [shell.LineEditor] of an interactive spork on a
// terminal: github.com/chzyer/readline with emacs keys, fed the shell's
// history and completion. It draws on standard error, as bash does.
//
// Terminal modes: each line is read in raw mode made from the modes in
// effect before the prompt, with output processing forced on, so the
// prompt works whatever a command left behind (stty -echo, a program that
// died in raw mode). After the line the terminal goes back to the modes it
// had before the prompt (a deliberate stty setting stays, as in bash),
// unless a command left it non-canonical: then the shell's own modes,
// saved at start, come back. Close restores the modes found at start.
type lineEditor struct {
	rl       *readline.Instance
	fd       int
	out      *os.File
	started  unix.Termios // modes found at start
	restore  unix.Termios // modes to restore after the current line
	inRaw    bool
	complete func(line string, cursor int) shell.Completion
	history  []string
	dumb     bool // TERM=dumb: no partial-line mark
	reclaim  atomic.Pointer[func() bool]
	resized  func() // tells readline to read the width again
}

// newLineEditor sets up line editing on the terminal on standard input.
func newLineEditor() (*lineEditor, error) {
	t, err := unix.IoctlGetTermios(0, unix.TCGETS)
	if err != nil {
		return nil, err
	}
	e := &lineEditor{fd: 0, out: os.Stderr, started: *t}
	term := os.Getenv("TERM")
	e.dumb = term == "" || term == "dumb"
	cfg := &readline.Config{
		Stdin:                  readline.NewCancelableStdin(byteReader{fd: 0, e: e}),
		Stdout:                 wrapFixWriter{e.out},
		Stderr:                 wrapFixWriter{e.out},
		HistoryLimit:           1 << 30,
		DisableAutoSaveHistory: true,
		AutoComplete:           completer{e},
		InterruptPrompt:        "^C",
		EOFPrompt:              "\n",
		FuncFilterInputRune:    e.filterInputRune,
		FuncGetWidth:           e.width,
		FuncOnWidthChanged:     e.onWidthChanged,
		FuncIsTerminal:         func() bool { return true },
		FuncMakeRaw:            e.enterRaw,
		FuncExitRaw:            e.exitRaw,
	}
	rl, err := readline.NewEx(cfg)
	if err != nil {
		return nil, err
	}
	e.rl = rl
	return e, nil
}

// filterInputRune runs in readline's input loop, before a key is handled.
//
// ^Z typed at the prompt would make readline stop the shell (and its
// parent) with SIGTSTP. It becomes ^G, which only leaves a history search
// or completion listing. (Dropping the key outright makes readline queue a
// read that would then steal the input of the next command.)
//
// ^C after a completion listing would only close the listing; it drops the
// line, as in bash, once the listing is closed here.
func (e *lineEditor) filterInputRune(r rune) (rune, bool) {
	switch r {
	case readline.CharCtrlZ:
		return readline.CharBell, true
	case readline.CharInterrupt:
		if op := e.rl.Operation; op.IsInCompleteMode() {
			op.ExitCompleteMode(false)
		}
	}
	return r, true
}

// ReadLine shows prompt and reads one line.
func (e *lineEditor) ReadLine(prompt string, continued bool) (string, error) {
	if !continued {
		e.freshLine()
	}
	before, last := splitPrompt(prompt)
	if before != "" {
		e.out.WriteString(before)
	}
	e.loadHistory()
	if e.resized != nil {
		e.resized()
	}
	e.rl.SetPrompt(last)
	line, err := e.rl.Readline()
	if errors.Is(err, readline.ErrInterrupt) {
		return "", shell.ErrInterrupted
	}
	return line, err
}

// SetViMode switches between vi-style and emacs-style editing.
func (e *lineEditor) SetViMode(on bool) {
	if e.rl.IsVimMode() != on {
		e.rl.SetVimMode(on)
	}
}

// SetHistory replaces the entries up arrow and ^R browse.
func (e *lineEditor) SetHistory(entries []string) {
	e.history = append(e.history[:0], entries...)
}

// loadHistory gives readline a fresh copy of the history before each
// line: readline keeps what was typed at the prompt in its list (as a
// draft entry) when the line is not saved, which the shell decides.
func (e *lineEditor) loadHistory() {
	e.rl.ResetHistory()
	for _, h := range e.history {
		e.rl.SaveHistory(h)
	}
}

// SetCompleter installs the shell's completion for Tab.
func (e *lineEditor) SetCompleter(f func(line string, cursor int) shell.Completion) {
	e.complete = f
}

// SetTerminalReclaimer installs what a read that fails with EIO asks to
// get the terminal back (see byteReader).
func (e *lineEditor) SetTerminalReclaimer(reclaim func() bool) {
	e.reclaim.Store(&reclaim)
}

// Close stops the editor and puts the terminal back as it was found.
// The shell is about to exit: readline's own Close, which waits for its
// reading goroutine, gets a moment and no more.
func (e *lineEditor) Close() error {
	closed := make(chan error, 1)
	go func() { closed <- e.rl.Close() }()
	var err error
	select {
	case err = <-closed:
	case <-time.After(200 * time.Millisecond):
	}
	unix.IoctlSetTermios(e.fd, unix.TCSETS, &e.started)
	return err
}

// onWidthChanged keeps readline's width-change callback: besides on
// SIGWINCH (readline's own hook), ReadLine calls it before every line. A
// window resized while a command had the terminal sent SIGWINCH to that
// command's process group only, and readline would go on wrapping at the
// old width.
func (e *lineEditor) onWidthChanged(f func()) {
	e.resized = f
	readline.DefaultOnWidthChanged(f)
}

// width is the terminal's width in columns.
func (e *lineEditor) width() int {
	for _, fd := range []int{int(e.out.Fd()), e.fd} {
		if ws, err := unix.IoctlGetWinsize(fd, unix.TIOCGWINSZ); err == nil && ws.Col > 0 {
			return int(ws.Col)
		}
	}
	return 80
}

// freshLine makes the prompt start at the beginning of a line when the
// last command's output did not end in a newline, as zsh's PROMPT_SP
// does: it prints a reverse-video "%" and enough spaces to wrap to the
// next line only if the cursor was not in the first column, then goes back
// to the first column and rubs the mark out. Output that ended in a
// newline leaves no trace.
func (e *lineEditor) freshLine() {
	if e.dumb {
		return
	}
	cols := e.width()
	if cols < 2 {
		return
	}
	e.out.WriteString("\x1b[7m%\x1b[0m" + strings.Repeat(" ", cols-1) + "\r \r")
}

// enterRaw puts the terminal in the mode readline edits in.
func (e *lineEditor) enterRaw() error {
	cur, err := unix.IoctlGetTermios(e.fd, unix.TCGETS)
	if err != nil {
		return err
	}
	e.restore = *cur
	if cur.Lflag&unix.ICANON == 0 {
		// left in raw or cbreak mode by a command: give the next one the
		// shell's modes back
		e.restore = e.started
	}
	raw := rawModes(e.restore)
	e.inRaw = true
	return unix.IoctlSetTermios(e.fd, unix.TCSETS, &raw)
}

// exitRaw puts back the modes in effect before the line.
func (e *lineEditor) exitRaw() error {
	if !e.inRaw {
		return nil
	}
	e.inRaw = false
	return unix.IoctlSetTermios(e.fd, unix.TCSETS, &e.restore)
}

// rawModes is t made raw for line editing (cfmakeraw without touching
// output processing, which is forced on so that newlines work).
func rawModes(t unix.Termios) unix.Termios {
	t.Iflag &^= unix.IGNBRK | unix.BRKINT | unix.PARMRK | unix.ISTRIP | unix.INLCR | unix.IGNCR | unix.ICRNL | unix.IXON
	t.Oflag |= unix.OPOST | unix.ONLCR
	t.Lflag &^= unix.ECHO | unix.ECHONL | unix.ICANON | unix.ISIG | unix.IEXTEN
	t.Cflag &^= unix.CSIZE | unix.PARENB
	t.Cflag |= unix.CS8
	t.Cc[unix.VMIN] = 1
	t.Cc[unix.VTIME] = 0
	return t
}

// splitPrompt turns a rendered prompt into what readline can draw: the
// lines before the last one are printed once before editing starts
// (readline redraws its prompt on every key and only copes with one
// line); in the last line the non-printing spans marked by the shell are
// kept in place when they are colour (SGR) sequences, whose width
// readline knows to be zero, and printed beforehand otherwise (a window
// title, say), so that readline's column count is right.
func splitPrompt(p string) (before, last string) {
	var pre, line strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch c {
		case shell.PromptIgnoreStart:
			end := strings.IndexByte(p[i+1:], shell.PromptIgnoreEnd)
			if end < 0 {
				end = len(p) - i - 1
			}
			span := p[i+1 : i+1+end]
			i += end + 1
			if onlySGR(span) {
				line.WriteString(span)
			} else {
				pre.WriteString(span)
			}
		case shell.PromptIgnoreEnd:
		case '\n':
			pre.WriteString(line.String())
			pre.WriteString("\r\n")
			line.Reset()
		default:
			line.WriteByte(c)
		}
	}
	last = line.String()
	// readline's colour filter reads past a trailing ESC
	last = strings.TrimRight(last, "\x1b")
	return pre.String(), last
}

// onlySGR reports whether s is made of "ESC [ params m" sequences only.
func onlySGR(s string) bool {
	if s == "" {
		return true
	}
	for s != "" {
		if !strings.HasPrefix(s, "\x1b[") {
			return false
		}
		i := 2
		for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == ';' || s[i] == ':') {
			i++
		}
		if i == len(s) || s[i] != 'm' {
			return false
		}
		s = s[i+1:]
	}
	return true
}

// completer adapts the shell's completion to readline's AutoCompleter.
type completer struct{ e *lineEditor }

// Do returns the texts Tab may insert at pos and how many runes before
// pos a listing shows in front of them. A list too long for the screen
// is not shown (readline would scroll the prompt away): Tab then only
// inserts what the candidates share, or rings the bell, where bash would
// ask before listing; the user types more letters.
func (c completer) Do(line []rune, pos int) ([][]rune, int) {
	if c.e.complete == nil || pos > len(line) {
		return nil, 0
	}
	left := string(line[:pos])
	comp := c.e.complete(string(line), len(left))
	out := make([][]rune, len(comp.Candidates))
	for i, s := range comp.Candidates {
		out[i] = []rune(s)
	}
	shown := 0
	if comp.Shown <= len(left) {
		shown = utf8.RuneCountInString(left[len(left)-comp.Shown:])
	}
	if len(out) > 1 && !c.e.listFits(out, shown) {
		if p := commonPrefix(out); len(p) > 0 {
			return [][]rune{p}, shown
		}
		c.e.out.WriteString("\a")
		return nil, 0
	}
	return out, shown
}

// listFits reports whether readline's listing of candidates (in columns,
// below the line being edited) fits on the screen.
func (e *lineEditor) listFits(cands [][]rune, shown int) bool {
	rows := 24
	if ws, err := unix.IoctlGetWinsize(int(e.out.Fd()), unix.TIOCGWINSZ); err == nil && ws.Row > 0 {
		rows = int(ws.Row)
	}
	widest := 0
	for _, c := range cands {
		widest = max(widest, len(c))
	}
	perLine := (e.width() - 1) / (widest + shown + 1)
	if perLine < 1 {
		return false
	}
	lines := (len(cands) + perLine - 1) / perLine
	return lines < rows-2
}

// commonPrefix is the longest prefix all of cands share.
func commonPrefix(cands [][]rune) []rune {
	p := cands[0]
	for _, c := range cands[1:] {
		n := 0
		for n < len(p) && n < len(c) && p[n] == c[n] {
			n++
		}
		p = p[:n]
	}
	return p
}

// wrapFixWriter corrects how readline v1.5.1 moves the cursor back over
// the boundary of a wrapped line: it writes a backspace in the first
// column, then "cursor up, carriage return, cursor right". The backspace
// does nothing on most terminals, but tmux (and any terminal with reverse
// wrap) takes it up to the end of the previous line, so the cursor ends a
// line too high and every redraw eats a line of the screen. Without the
// backspace the movement is the same everywhere.
type wrapFixWriter struct{ w io.Writer }

var (
	wrapBack      = []byte("\b\x1b[A\r\x1b[")
	wrapBackFixed = []byte("\x1b[A\r\x1b[")
)

func (f wrapFixWriter) Write(p []byte) (int, error) {
	if _, err := f.w.Write(bytes.ReplaceAll(p, wrapBack, wrapBackFixed)); err != nil {
		return 0, err
	}
	return len(p), nil
}

// byteReader reads a descriptor one byte at a time, so that readline
// never takes in more than the keys of the line it edits: what is typed
// ahead stays for the command that runs next.
//
// A read fails with EIO when the terminal's foreground process group is
// not the shell's (the shell ignores SIGTTIN). That is the case when a
// process of a job stopped by ^Z handed the terminal to the job's group
// after the shell took it back: the shell then takes it again, and the
// read goes on. Any other error ends readline's reading for good, which
// the shell sees as the end of input.
type byteReader struct {
	fd int
	e  *lineEditor
}

func (b byteReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	for {
		n, err := unix.Read(b.fd, p[:1])
		if err == unix.EINTR {
			continue
		}
		if err == unix.EIO && b.e != nil {
			if reclaim := b.e.reclaim.Load(); reclaim != nil && (*reclaim)() {
				continue
			}
		}
		if n == 0 && err == nil {
			return 0, io.EOF
		}
		if err != nil {
			return 0, err
		}
		return n, nil
	}
}

func (b byteReader) Close() error { return nil }

// plainEditor reads lines without editing, for spork -i when standard
// input is not a terminal: the prompt goes to standard error and each
// line is read a byte at a time, so commands that read standard input
// themselves get the rest.
type plainEditor struct{}

// ReadLine prints prompt and reads up to a newline.
func (plainEditor) ReadLine(prompt string, continued bool) (string, error) {
	os.Stderr.WriteString(stripPromptMarkers(prompt))
	var line []byte
	var c [1]byte
	for {
		n, err := unix.Read(0, c[:])
		if err == unix.EINTR {
			continue
		}
		if n <= 0 {
			if len(line) > 0 {
				return string(line), nil
			}
			if err != nil {
				return "", err
			}
			return "", io.EOF
		}
		if c[0] == '\n' {
			return string(line), nil
		}
		line = append(line, c[0])
	}
}

// SetHistory does nothing: there is no editing to browse it.
func (plainEditor) SetHistory([]string) {}

// SetCompleter does nothing: there is no Tab to complete with.
func (plainEditor) SetCompleter(func(string, int) shell.Completion) {}

// stripPromptMarkers removes the non-printing span markers of a prompt.
func stripPromptMarkers(p string) string {
	return strings.Map(func(r rune) rune {
		if r == shell.PromptIgnoreStart || r == shell.PromptIgnoreEnd {
			return -1
		}
		return r
	}, p)
}
