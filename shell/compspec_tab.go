package shell

import (
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"mvdan.cc/sh/v3/expand"
)

// Tab with programmable completion: when the command of the word being
// completed has a compspec (complete), or a default one (complete -D),
// or the line is empty and there is a complete -E one, or the word is a
// command name and there is a complete -I one, the spec makes the
// candidates, and a -F function sees the line in COMP_WORDS, COMP_CWORD,
// COMP_LINE, COMP_POINT, COMP_TYPE and COMP_KEY, as in bash.

// compFuncLimit bounds how long a completion function may run: past it,
// the function is unwound at its next command (a program it waits for is
// not stopped) and Tab offers nothing.
var compFuncLimit = 10 * time.Second

// defaultWordbreaks is bash's default COMP_WORDBREAKS.
const defaultWordbreaks = " \t\n\"'><=;|&(:"

// compWord is one word of COMP_WORDS: its text and its span in COMP_LINE.
type compWord struct {
	text       string
	start, end int
}

// programmableComplete completes with a compspec, if one applies.
func (r *Runner) programmableComplete(line string, cursor int, ctx completionContext) (c Completion, ok bool) {
	cs := r.sh.comp
	if cs == nil || len(cs.specs) == 0 {
		return Completion{}, false
	}
	var spec *compSpec
	cmd := ""
	if ctx.commandPos {
		if strings.TrimSpace(line[:cursor]) == "" {
			spec = cs.specs[compEmptyKey]
		} else {
			spec = cs.specs[compInitialKey]
		}
	} else {
		cmd, _ = unquoteForCompletion(ctx.command, nil)
		spec = cs.specs[cmd]
		if spec == nil {
			spec = cs.specs[path.Base(cmd)]
		}
		if spec == nil {
			spec = cs.specs[compDefaultKey]
		}
	}
	if spec == nil {
		return Completion{}, false
	}
	defer func() {
		if e := recover(); e != nil {
			r.errorf("completion: internal error: %v", e)
			c, ok = Completion{}, true
		}
	}()

	// the current command: from after the last separator before the
	// cursor to the next one after it
	start := commandStartForCompletion(line[:cursor])
	for start < cursor && (line[start] == ' ' || line[start] == '\t') {
		start++
	}
	end := cursor + commandEndForCompletion(line[cursor:])
	cmdLine := line[start:end]
	point := cursor - start
	breaks := defaultWordbreaks
	if v := r.Get("COMP_WORDBREAKS"); v.IsSet() {
		breaks = v.String()
	}
	words, cword := splitCompWords(cmdLine, point, breaks)

	// the word readline replaces: after the last break character
	wordStart := ctx.start
	var quote byte
	for i := ctx.start; i < cursor; i++ {
		ch := line[i]
		switch {
		case quote != 0:
			if ch == quote {
				quote = 0
			} else if ch == '\\' && quote == '"' {
				i++
			}
		case ch == '\\':
			i++
		case ch == '\'' || ch == '"':
			quote = ch
		case strings.IndexByte(breaks, ch) >= 0:
			wordStart = i + 1
		}
	}
	raw := line[wordStart:cursor]
	cur, _ := unquoteForCompletion(raw, nil)
	prev := ""
	if cword > 0 && cword-1 < len(words) {
		prev = words[cword-1].text
	}

	opts := spec.opts
	var matches []string
	for try := 0; try < 2; try++ {
		matches = r.callCompletion(spec, &opts, cmd, cur, prev, cmdLine, point, words, cword)
		if _, hasFunc := spec.arg(argFunc); cs.funcStatus != 124 || !hasFunc || try == 1 {
			break
		}
		// 124: the function loaded a new compspec; use it (bash)
		next := cs.specs[cmd]
		if next == nil || next == spec {
			break
		}
		spec, opts = next, next.opts
	}
	if len(matches) == 0 {
		switch {
		case opts&coptDefault != 0:
			return r.completeFile(ctx, false), true
		case opts&coptDirnames != 0:
			return r.completeFile(ctx, true), true
		case opts&coptBashdefault != 0:
			return Completion{}, false
		}
		return Completion{}, true
	}
	return r.compCandidates(matches, cur, ctx, opts, cursor-wordStart), true
}

// compCandidates turns the matches for cur into what Tab inserts. The
// line editor only inserts at the cursor: a match that does not begin
// with cur is dropped.
func (r *Runner) compCandidates(matches []string, cur string, ctx completionContext, opts compOpt, shown int) Completion {
	seen := map[string]bool{}
	var keep []string
	for _, m := range matches {
		if strings.HasPrefix(m, cur) && !seen[m] {
			seen[m] = true
			keep = append(keep, m)
		}
	}
	if opts&coptNosort == 0 {
		sort.Strings(keep)
	}
	files := opts&coptFilenames != 0
	c := Completion{Shown: shown}
	for _, m := range keep {
		s := m[len(cur):]
		if files && opts&coptNoquote == 0 {
			s = quoteForCompletion(s, ctx.quote, cur == "")
		}
		if files && !strings.HasSuffix(m, "/") && r.isDirectory(m) {
			s += "/"
		} else if len(keep) == 1 && opts&coptNospace == 0 && !(files && strings.HasSuffix(m, "/")) {
			s += closeQuote(ctx.quote) + " "
		}
		c.Candidates = append(c.Candidates, s)
	}
	return c
}

// callCompletion sets the COMP_ variables, runs the spec for cur and
// returns the matches, leaving $?, the terminal and the line alone.
func (r *Runner) callCompletion(spec *compSpec, opts *compOpt, cmd, cur, prev, cmdLine string, point int, words []compWord, cword int) []string {
	cs := r.compState()
	savedStatus, savedLine, savedStmt, savedCtl := r.lastStatus, r.line, r.curStmt, r.ctl
	savedJC := r.sh.jobControl
	savedCur := cs.current
	// the function runs in the shell, without handing the terminal to
	// the programs it starts: the line is still being edited
	r.sh.jobControl = false
	r.noErrexit++
	cs.current = opts
	list := make([]string, len(words))
	for i, w := range words {
		list[i] = w.text
	}
	set := func(name, val string) { r.Set(name, expand.Variable{Set: true, Kind: expand.String, Str: val}) }
	r.Set("COMP_WORDS", expand.Variable{Set: true, Kind: expand.Indexed, List: list})
	set("COMP_CWORD", strconv.Itoa(cword))
	set("COMP_LINE", cmdLine)
	set("COMP_POINT", strconv.Itoa(point))
	set("COMP_TYPE", "9")
	set("COMP_KEY", "9")
	// bash always has COMP_WORDBREAKS, and scripts (git's) read it
	hadBreaks := r.Get("COMP_WORDBREAKS").IsSet()
	if !hadBreaks {
		set("COMP_WORDBREAKS", defaultWordbreaks)
	}
	cs.funcStatus = 0
	timer := time.AfterFunc(compFuncLimit, func() {
		cs.abort.Store(true)
		r.sh.sig.pending.Store(true)
	})
	local := *spec
	local.opts = *opts
	matches := r.generate(&local, cur, []string{cmd, cur, prev})
	timer.Stop()
	if cs.abort.Load() {
		cs.abort.Store(false)
		r.sh.sig.pending.Store(true) // let any real signal be looked at
		matches = nil
	}
	if !hadBreaks {
		r.Set("COMP_WORDBREAKS", expand.Variable{})
	}
	for _, n := range []string{"COMP_WORDS", "COMP_CWORD", "COMP_LINE", "COMP_POINT", "COMP_TYPE", "COMP_KEY"} {
		r.Set(n, expand.Variable{})
	}
	cs.current = savedCur
	r.noErrexit--
	r.sh.jobControl = savedJC
	r.lastStatus, r.line, r.curStmt, r.ctl = savedStatus, savedLine, savedStmt, savedCtl
	return matches
}

// commandStartForCompletion is the offset just past the last command
// separator of s outside quotes (0 when there is none).
func commandStartForCompletion(s string) int {
	start, _ := commandSeparators(s, false)
	return start
}

// commandEndForCompletion is the offset of the first command separator of
// s outside quotes (len(s) when there is none).
func commandEndForCompletion(s string) int {
	_, end := commandSeparators(s, true)
	return end
}

// commandSeparators scans s for the command separators outside quotes:
// start is just past the last one (0 for none), end at the first one
// (len(s) for none) when first is set.
func commandSeparators(s string, first bool) (start, end int) {
	var q byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case q == '\'':
			if c == '\'' {
				q = 0
			}
		case q == '"':
			if c == '\\' {
				i++
			} else if c == '"' {
				q = 0
			}
		case c == '\\':
			i++
		case c == '\'' || c == '"':
			q = c
		case c == ';' || c == '&' || c == '|' || c == '(' || c == ')' || c == '\n' || c == '`':
			if first {
				return 0, i
			}
			start = i + 1
		}
	}
	return min(start, len(s)), len(s)
}

// splitCompWords splits a command line into COMP_WORDS as bash does:
// at blanks, with each run of the other COMP_WORDBREAKS characters (= :
// ...) a word of its own, quotes keeping their text together. It returns
// the words and the index of the one the cursor (point) is in, which is
// a new empty word when the cursor is between words.
func splitCompWords(line string, point int, breaks string) ([]compWord, int) {
	isBreak := func(c byte) bool {
		return c != '"' && c != '\'' && c != ' ' && c != '\t' && c != '\n' && strings.IndexByte(breaks, c) >= 0
	}
	var words []compWord
	cword := -1
	i := 0
	for i < len(line) {
		c := line[i]
		if c == ' ' || c == '\t' || c == '\n' {
			i++
			continue
		}
		s := i
		if isBreak(c) {
			for i < len(line) && isBreak(line[i]) {
				i++
			}
		} else {
			var q byte
			for i < len(line) {
				c := line[i]
				if q != 0 {
					if c == q {
						q = 0
					} else if c == '\\' && q == '"' {
						i++
					}
					i++
					continue
				}
				if c == ' ' || c == '\t' || c == '\n' || isBreak(c) {
					break
				}
				if c == '\\' {
					i++
				} else if c == '\'' || c == '"' {
					q = c
				}
				i++
			}
			i = min(i, len(line))
		}
		if cword < 0 && point < s {
			words = append(words, compWord{start: point, end: point})
			cword = len(words) - 1
		}
		words = append(words, compWord{text: line[s:i], start: s, end: i})
		if cword < 0 && point >= s && point <= i {
			cword = len(words) - 1
		}
	}
	if cword < 0 {
		words = append(words, compWord{start: point, end: point})
		cword = len(words) - 1
	}
	return words, cword
}
