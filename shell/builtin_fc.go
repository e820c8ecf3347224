package shell

import (
	"os"
	"strconv"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// fc, POSIX's "fix command", as bash has it:
//
//	fc -l [-nr] [first [last]]         list history entries
//	fc [-e editor] [-nr] [first [last]] edit entries, then run them
//	fc -s [old=new ...] [command]       run an entry again (also fc -e -)
//
// first and last are history numbers, offsets from the end (-n, 0 for
// the last) or the start of a command (the newest entry starting with
// it). The line running fc itself is not counted: "the last" is the entry
// before it. fc -s echoes the command, puts it in the history in place of
// the fc line and runs it. The edit form leaves the fc line out of the
// history, writes the entries to a temporary file, runs the editor on it
// (-e, else ${FCEDIT:-${EDITOR:-vi}}, as shell text) and, when the editor
// succeeds, echoes, records and runs the file's commands one by one.

const fcUsage = "fc: usage: fc [-e ename] [-lnr] [first] [last] or fc -s [pat=rep] [command]\n"

// Special results of fcEntry.
const (
	fcNotFound = -2 // no entry starts with the string
	fcInvalid  = -3 // -0 outside a listing
)

// fcNumber reports whether an fc argument is a number (options end before
// one, so that fc -l -3 lists from the third last entry).
func fcNumber(s string) bool {
	s = strings.TrimPrefix(s, "-")
	_, err := strconv.ParseInt(s, 10, 64)
	return err == nil && s != "" && s[0] != '+' && s[0] != '-'
}

// fcRange is the history fc works on: the entries, the number of the
// first, and the index of the last one it counts (the one before the fc
// line when that line was stored).
type fcRange struct {
	entries []string
	base    int
	last    int
}

func (r *Runner) fcHistory() fcRange {
	h := &r.sh.ia.hist
	h.mu.Lock()
	defer h.mu.Unlock()
	base := h.base
	if base == 0 {
		base = 1
	}
	fr := fcRange{entries: append([]string(nil), h.entries...), base: base}
	fr.last = len(h.entries) - 1
	if h.lineAdded {
		fr.last--
	}
	return fr
}

// entry finds the index that spec names (bash's fc_gethnum). first says
// spec is the first of a range: a number out of range then means the
// oldest entry, else the last.
func (fr fcRange) entry(spec string, listing, first bool) int {
	i := fr.last
	if i < 0 {
		return -1
	}
	s, neg := strings.CutPrefix(spec, "-")
	if s != "" && isDigitByte(s[0]) {
		end := 0
		for end < len(s) && isDigitByte(s[end]) {
			end++
		}
		n, err := strconv.Atoi(s[:end])
		if err != nil {
			n = int(^uint(0) >> 1)
		}
		switch {
		case neg && n == 0:
			if listing {
				return len(fr.entries) - 1 // -0: the fc line itself
			}
			return fcInvalid
		case neg:
			return max(i+1-n, 0)
		case n == 0:
			return i
		}
		n -= fr.base
		if n < 0 || n > i {
			if first {
				return 0
			}
			return i
		}
		return n
	}
	for j := i; j >= 0; j-- {
		if strings.HasPrefix(fr.entries[j], spec) {
			return j
		}
	}
	return fcNotFound
}

func fcBuiltin(r *Runner, args []string) int {
	var listing, numbering, reverse, execute bool
	numbering = true
	editor, haveEditor := "", false
	args = args[1:]
	i := 0
opts:
	for ; i < len(args); i++ {
		a := args[i]
		if fcNumber(a) || len(a) < 2 || a[0] != '-' {
			break
		}
		if a == "--" {
			i++
			break
		}
		for j := 1; j < len(a); j++ {
			switch a[j] {
			case 'l':
				listing = true
			case 'n':
				numbering = false
			case 'r':
				reverse = true
			case 's':
				execute = true
			case 'e':
				switch {
				case j+1 < len(a):
					editor = a[j+1:]
				case i+1 < len(args):
					i++
					editor = args[i]
				default:
					return r.optError("fc", "-e", true, fcUsage)
				}
				haveEditor = true
				continue opts
			default:
				return r.optError("fc", "-"+string(a[j]), false, fcUsage)
			}
		}
	}
	args = args[i:]
	if haveEditor && editor == "-" {
		execute = true
	}
	if execute {
		return r.fcExecute(args)
	}
	fr := r.fcHistory()
	if len(fr.entries) == 0 {
		return 0
	}
	last := max(fr.last, 0) // as POSIX: the fc line when it is all there is
	realLast := len(fr.entries) - 1
	var beg, end int
	switch {
	case len(args) > 0:
		beg = fr.entry(args[0], listing, true)
		switch {
		case len(args) > 1:
			end = fr.entry(args[1], listing, false)
		case !listing:
			end = beg
		case beg == realLast:
			end = realLast
		default:
			end = last
		}
	case listing:
		end = last
		beg = max(end-15, 0)
	default:
		beg, end = last, last
	}
	switch {
	case beg == fcInvalid || end == fcInvalid:
		r.errorf("fc: history specification out of range")
		return 1
	case beg == fcNotFound || end == fcNotFound:
		r.errorf("fc: no command found")
		return 1
	}
	beg, end = max(beg, 0), max(end, 0)
	if !listing {
		// "the fc command that caused the editing shall not be entered
		// into the history list"
		r.dropLastLine()
		if fr.last < 0 {
			return 0 // it was all there was
		}
	}
	if end < beg {
		beg, end = end, beg
		reverse = true
	}
	var b strings.Builder
	for k := beg; k <= end; k++ {
		idx := k
		if reverse {
			idx = end - (k - beg)
		}
		if listing {
			if numbering {
				b.WriteString(strconv.Itoa(idx + fr.base))
			}
			b.WriteString("\t ")
		}
		b.WriteString(fr.entries[idx])
		b.WriteByte('\n')
	}
	if listing {
		return r.out(b.String())
	}
	return r.fcEdit(editor, haveEditor, b.String())
}

// fcExecute is fc -s [old=new ...] [command].
func (r *Runner) fcExecute(args []string) int {
	var subs [][2]string
	for len(args) > 0 {
		old, new, ok := strings.Cut(args[0], "=")
		if !ok {
			break
		}
		subs = append(subs, [2]string{old, new})
		args = args[1:]
	}
	spec := "" // the last entry
	if len(args) > 0 {
		spec = args[0]
	}
	fr := r.fcHistory()
	i := fr.entry(spec, false, false)
	if i < 0 {
		r.errorf("fc: no command found")
		return 1
	}
	cmd := fr.entries[i]
	for _, s := range subs {
		if s[0] == "" {
			// as bash: an empty pattern matches at every character
			cmd = strings.Repeat(s[1], len(cmd))
			continue
		}
		cmd = strings.ReplaceAll(cmd, s[0], s[1])
	}
	r.errWrite(cmd + "\n")
	if r.subshellDepth == 0 {
		r.dropLastLine()
		if c := strings.TrimSuffix(cmd, "\n"); c != "" {
			r.addHistory(c, c)
		}
		// the command runs as bash runs it, with history off: what it
		// lists counts its own entry
		r.sh.ia.hist.mu.Lock()
		r.sh.ia.hist.lineAdded = false
		r.sh.ia.hist.mu.Unlock()
	}
	return r.evalString(cmd, "fc")
}

// fcEdit runs the editor on a file holding text, then the file's
// commands.
func (r *Runner) fcEdit(editor string, haveEditor bool, text string) int {
	dir := r.getString("TMPDIR")
	if st, err := os.Stat(dir); dir == "" || err != nil || !st.IsDir() {
		dir = os.TempDir()
	}
	f, err := os.CreateTemp(dir, "spork-fc.*")
	if err != nil {
		r.errorf("fc: cannot open temp file: %s", ErrorText(err))
		return 1
	}
	name := f.Name()
	defer os.Remove(name)
	_, err = f.WriteString(text)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		r.errorf("fc: %s: %s", name, ErrorText(err))
		return 1
	}
	if !haveEditor {
		editor = "${FCEDIT:-${EDITOR:-vi}}"
	}
	if st := r.evalString(editor+" "+singleQuote(name), "fc"); st != 0 || r.ctl != ctlNone {
		return 1
	}
	data, err := os.ReadFile(name)
	if err != nil {
		r.errorf("fc: %s: %s", name, ErrorText(err))
		return 1
	}
	return r.fcRun(string(data))
}

// fcRun runs the edited commands: each complete command is echoed, kept
// in the history and run, in turn, as bash reads the file with the
// verbose option on.
func (r *Runner) fcRun(src string) int {
	r.lastStatus = 0
	var cmd strings.Builder
	lines := strings.SplitAfter(src, "\n")
	for n, line := range lines {
		cmd.WriteString(line)
		text := cmd.String()
		if text == "" {
			continue
		}
		if !strings.HasSuffix(text, "\n") {
			text += "\n"
		}
		f, err := parseCommand(text)
		if n < len(lines)-1 && (err == nil && endsInContinuation(text, f) || err != nil && syntax.IsIncomplete(err)) {
			continue // the command goes on on the next line
		}
		cmd.Reset()
		r.errWrite(text)
		if r.subshellDepth == 0 {
			r.addHistory(historyText(text, f), text)
		}
		if err != nil {
			r.syntaxError(err)
			r.lastStatus = 2
			return 2
		}
		r.evalString(text, "fc")
		if r.ctl != ctlNone {
			break
		}
	}
	return r.lastStatus
}

func init() {
	builtins["fc"] = fcBuiltin
	builtinHelp["fc"] = "fc [-e ename] [-lnr] [first] [last] or fc -s [pat=rep] [command] - display or execute commands from the history list"
}
