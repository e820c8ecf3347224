package shell

import (
	"errors"
	"strings"
	"unicode/utf8"

	"mvdan.cc/sh/v3/syntax"
)

// History expansion (bash's "HISTORY EXPANSION", csh's !-syntax) of the
// lines typed at an interactive shell's prompt, on under set -H (the
// default of an interactive shell), never in scripts or -c.
//
// An expansion starts with ! and names an event (a history entry):
// !! the last, !n entry n, !-n the n-th last, !str the last starting
// with str, !?str[?] the last containing str, !# the line typed so far.
// ^old^new^ at the start of a line is !!:s^old^new^. A word designator
// after a colon picks words of the event (:0 :n :^ :$ :* :n-m :n* :n-
// :%); the colon may be left out before ^ $ * % and -, and a missing
// event before a word designator means !!. Modifiers follow, each after
// a colon: h t r e (pathname parts), s/old/new/ and &, with g or G
// (substitutions), q and x (quoting) and p (print, do not run).
//
// ! is not an expansion before a blank, a newline, =, ( or the end of the
// line, nor after $ ([!...], ${!name} and $! stay as they are), nor in
// single quotes or a comment; \! stands for itself. Each physical line is
// expanded when it is typed, as bash does: a continuation line (PS2) in
// an open single quote is left alone until the quote closes, and the
// lines of a here-document are not expanded.
//
// The expansion follows GNU history's (readline 8) rules, including its
// word splitting of events (history_tokenize): words split at blanks, and
// ; & | ( ) < > and the redirection operators are words of their own.

// histExpandState is what history expansion remembers from one line to
// the next: the last :s substitution and the last !?string? search.
type histExpandState struct {
	lhs, rhs    string // last :s/lhs/rhs/ (rhs with & already replaced)
	search      string // last !?string?
	searchMatch string // the word it matched, for :%
}

// histError is a failed history expansion: text is the part of the line
// that failed, as bash reports it ("!foo: event not found").
type histError struct {
	text, msg string
}

func (e *histError) Error() string { return e.text + ": " + e.msg }

// histQuoteHeredoc is the quoting state of a line inside a here-document:
// such lines are not expanded.
const histQuoteHeredoc = 'h'

// histWordDelims are the characters that end a word for history's word
// splitting (and before which # starts a comment).
const histWordDelims = " \t\n;&()|<>"

// histLastWord stands for $ (the last word) in word ranges; -1 is the
// x- form (up to the word before the last).
const histLastWord = -2

// mayHistExpand reports whether line can hold a history expansion at all:
// a cheap test before the real work.
func mayHistExpand(line string) bool {
	return strings.IndexByte(line, '!') >= 0 || strings.HasPrefix(line, "^")
}

// historyExpand expands the history references in line, one physical line
// typed at the prompt. entries is the history, oldest first, numbered from
// base. quote is the quoting the line starts in: 0, or a single or double
// quote when an earlier line of the same command left one open. st carries
// the last substitution and search from line to line (nil: none). It returns the
// expanded line and whether a :p modifier asked to print it rather than
// run it; err is a *histError.
func historyExpand(line string, entries []string, base int, quote byte, st *histExpandState) (string, bool, error) {
	if st == nil {
		st = &histExpandState{}
	}
	if quote == histQuoteHeredoc {
		return line, false, nil
	}
	s := line
	if quote == 0 && strings.HasPrefix(line, "^") {
		s = "!!:s" + line
	} else if !hasHistExpansion(line, quote) {
		return line, false, nil
	}
	hx := &histExpander{s: s, entries: entries, base: base, st: st}
	return hx.expand(quote)
}

// histExpander expands one line.
type histExpander struct {
	s       string
	entries []string
	base    int
	st      *histExpandState
}

// at is the byte at i, 0 past the end.
func (hx *histExpander) at(i int) byte { return byteAt(hx.s, i) }

// byteAt is s[i], 0 outside s.
func byteAt(s string, i int) byte {
	if i >= 0 && i < len(s) {
		return s[i]
	}
	return 0
}

// isDigitByte reports whether c is an ASCII digit.
func isDigitByte(c byte) bool { return c >= '0' && c <= '9' }

// histNoExpand reports whether c after ! keeps it from being an expansion.
func histNoExpand(c byte) bool {
	return c == 0 || strings.IndexByte(" \t\n\r=", c) >= 0
}

// singleQuoteEnd returns the index of the quote closing a single-quoted
// string whose text starts at i (len(s) if it is not closed); in $'...'
// (ansi) a backslash escapes the next character.
func singleQuoteEnd(s string, i int, ansi bool) int {
	for ; i < len(s) && s[i] != '\''; i++ {
		if ansi && s[i] == '\\' && i+1 < len(s) {
			i++
		}
	}
	return i
}

// hasHistExpansion reports whether line holds an expansion (a ! that is
// not quoted or otherwise exempt).
func hasHistExpansion(s string, quote byte) bool {
	if strings.IndexByte(s, '!') < 0 {
		return false
	}
	dq := quote == '"'
	i := 0
	if quote == '\'' {
		i = singleQuoteEnd(s, 0, false) + 1
	}
	for ; i < len(s); i++ {
		c, cc := s[i], byteAt(s, i+1)
		switch {
		case c == '#' && !dq && (i == 0 || strings.IndexByte(histWordDelims, s[i-1]) >= 0):
			return false // the rest is a comment
		case c == '!':
			if histNoExpand(cc) || (dq && cc == '"') || histInhibited(s, i, quote) {
				continue
			}
			return true
		case dq && c == '\\' && cc == '"':
			i++
		case c == '"':
			dq = !dq
		case c == '\'' && !dq:
			i = singleQuoteEnd(s, i+1, i > 0 && s[i-1] == '$')
		case c == '\\':
			if cc == '\'' || cc == '!' {
				i++
			}
		}
	}
	return false
}

// histInhibited reports whether the ! at s[i] is left alone: [!...],
// ${!name}, $!, !( and a ! that shell quoting protects (a backslash, single
// quotes, also in $(...) within double quotes).
func histInhibited(s string, i int, quote byte) bool {
	switch {
	case i > 0 && s[i-1] == '[' && strings.IndexByte(s[i+1:], ']') >= 0:
		return true
	case i > 1 && s[i-1] == '{' && s[i-2] == '$' && strings.IndexByte(s[i+1:], '}') >= 0:
		return true
	case i > 0 && s[i-1] == '$':
		return true
	case byteAt(s, i+1) == '(':
		return true
	}
	return histQuotedAt(s, i, quote)
}

// histQuotedAt reports whether shell quoting protects s[i]: it follows a
// backslash or is in single quotes. A $( ... ) starts afresh, also inside
// double quotes, so that "$(echo '!')" keeps its !.
func histQuotedAt(s string, i int, quote byte) bool {
	dq := quote == '"'
	j := 0
	if quote == '\'' {
		j = singleQuoteEnd(s, 0, false)
		if j >= i {
			return true
		}
		j++
	}
	var outer []bool // the dq state outside each open $(
	for ; j < i; j++ {
		c := s[j]
		switch {
		case c == '\\':
			j++
			if j >= i {
				return true
			}
		case c == '\'' && !dq:
			j = singleQuoteEnd(s, j+1, j > 0 && s[j-1] == '$')
			if j >= i {
				return true
			}
		case c == '"':
			dq = !dq
		case c == '$' && byteAt(s, j+1) == '(':
			outer = append(outer, dq)
			dq = false
			j++
		case c == ')' && !dq && len(outer) > 0:
			dq = outer[len(outer)-1]
			outer = outer[:len(outer)-1]
		}
	}
	return false
}

// expand does the expansions of hx.s.
func (hx *histExpander) expand(quote byte) (string, bool, error) {
	s := hx.s
	var out strings.Builder
	dq := quote == '"'
	i := 0
	if quote == '\'' {
		i = min(singleQuoteEnd(s, 0, false)+1, len(s))
		out.WriteString(s[:i])
	}
	printOnly := false
	for ; i < len(s); i++ {
		c := s[i]
		switch c {
		case '\\':
			out.WriteByte(c)
			if i+1 < len(s) {
				i++
				out.WriteByte(s[i])
			}
		case '"':
			dq = !dq
			out.WriteByte(c)
		case '\'':
			if dq {
				out.WriteByte(c)
				break
			}
			end := min(singleQuoteEnd(s, i+1, i > 0 && s[i-1] == '$')+1, len(s))
			out.WriteString(s[i:end])
			i = end - 1
		case '#':
			if !dq && (i == 0 || strings.IndexByte(histWordDelims, s[i-1]) >= 0) {
				out.WriteString(s[i:])
				i = len(s)
				break
			}
			out.WriteByte(c)
		case '!':
			cc := hx.at(i + 1)
			if histNoExpand(cc) || (dq && cc == '"') {
				out.WriteByte(c)
				break
			}
			// decided on what was expanded so far, as readline does
			so := out.String()
			if histInhibited(so+"!"+string(cc), len(so), quote) {
				out.WriteByte(c)
				break
			}
			var qc byte
			if dq {
				qc = '"'
			}
			text, end, p, err := hx.expandOne(i, qc, so)
			if err != nil {
				return "", false, err
			}
			out.WriteString(text)
			printOnly = printOnly || p
			i = end - 1
		default:
			out.WriteByte(c)
		}
	}
	return out.String(), printOnly, nil
}

// fail is the error for the text s[start:end].
func (hx *histExpander) fail(start, end int, msg string) error {
	start, end = min(start, len(hx.s)), min(end, len(hx.s))
	return &histError{text: hx.s[start:max(start, end)], msg: msg}
}

// entry returns history entry number n.
func (hx *histExpander) entry(n int) (string, bool) {
	i := n - hx.base
	if i < 0 || i >= len(hx.entries) {
		return "", false
	}
	return hx.entries[i], true
}

// expandOne expands the reference at s[start] (a !): its event, word
// designator and modifiers. cur is the line expanded so far (for !#), qc a
// double quote the reference is in. It returns the text, the index after
// the reference and whether :p was given.
func (hx *histExpander) expandOne(start int, qc byte, cur string) (string, int, bool, error) {
	i := start
	var event string
	var ok bool
	switch next := hx.at(i + 1); {
	case next != 0 && strings.IndexByte(":$*%^", next) >= 0:
		i++ // a word designator alone: the last command
		event, ok = hx.entry(hx.base + len(hx.entries) - 1)
	case next == '#':
		i += 2
		event, ok = cur, true
	default:
		event, i, ok = hx.event(i, qc)
	}
	if !ok {
		return "", 0, false, hx.fail(start, i, "event not found")
	}

	// the word designator
	wstart := i
	text, has, bad := hx.words(&i, event)
	if bad {
		return "", 0, false, hx.fail(wstart, i, "bad word specifier")
	}
	if !has {
		text = event
	}

	// the modifiers
	mstart := i
	var quoting byte
	printOnly := false
	s := hx.s
	for hx.at(i) == ':' {
		c := hx.at(i + 1)
		global, byWords := false, false
		switch c {
		case 'g', 'a':
			global = true
			i++
			c = hx.at(i + 1)
		case 'G':
			byWords = true
			i++
			c = hx.at(i + 1)
		}
		switch c {
		case 'q', 'x':
			quoting = c
		case 'p':
			printOnly = true
		case 't':
			if k := strings.LastIndexByte(text, '/'); k >= 0 {
				text = text[k+1:]
			}
		case 'h':
			if k := strings.LastIndexByte(text, '/'); k >= 0 {
				text = text[:k]
			}
		case 'r':
			if k := strings.LastIndexByte(text, '.'); k >= 0 {
				text = text[:k]
			}
		case 'e':
			if k := strings.LastIndexByte(text, '.'); k >= 0 {
				text = text[k:]
			}
		case 's', '&':
			if c == 's' {
				if i+2 >= len(s) {
					break // no delimiter: nothing to do
				}
				_, dl := utf8.DecodeRuneInString(s[i+2:])
				delim := s[i+2 : i+2+dl]
				i += 2 + dl
				if lhs, have := histSubstPattern(s, &i, delim, false); have {
					hx.st.lhs = lhs
				} else if hx.st.lhs == "" {
					hx.st.lhs = hx.st.search
				}
				rhs, _ := histSubstPattern(s, &i, delim, true)
				hx.st.rhs = histSubstRHS(rhs, hx.st.lhs)
			} else {
				i += 2
			}
			if hx.st.lhs == "" {
				return "", 0, false, hx.fail(mstart, i, "no previous substitution")
			}
			var done bool
			text, done = histSubstitute(text, hx.st.lhs, hx.st.rhs, global, byWords)
			if !done {
				return "", 0, false, hx.fail(mstart, i, "substitution failed")
			}
			continue
		default:
			return "", 0, false, hx.fail(i+1, i+2, "unrecognized history modifier")
		}
		i += 2
	}
	switch quoting {
	case 'q':
		text = "'" + strings.ReplaceAll(text, "'", `'\''`) + "'"
	case 'x':
		text = histQuoteWords(text)
	}
	return text, i, printOnly, nil
}

// event finds the event of the reference at s[i] (a !) that is not !! or
// a word designator alone: !n, !-n, !string or !?string[?]. It returns the
// entry, the index after the event and whether it was found.
func (hx *histExpander) event(i int, qc byte) (string, int, bool) {
	i++
	if hx.at(i) == '!' {
		e, ok := hx.entry(hx.base + len(hx.entries) - 1)
		return e, i + 1, ok
	}
	neg := false
	if hx.at(i) == '-' && isDigitByte(hx.at(i+1)) {
		neg = true
		i++
	}
	if isDigitByte(hx.at(i)) {
		var n int
		n, i = histNumber(hx.s, i)
		if neg {
			n = len(hx.entries) + hx.base - n
		}
		e, ok := hx.entry(n)
		return e, i, ok
	}
	substring := hx.at(i) == '?'
	if substring {
		i++
	}
	from := i
	for ; i < len(hx.s); i++ {
		c := hx.s[i]
		if c == '\n' || (substring && c == '?') {
			break
		}
		if !substring && (c == ' ' || c == '\t' || c == ':' ||
			(c == '-' && i > from) || strings.IndexByte("^$*%", c) >= 0 ||
			strings.IndexByte(";&()|<>", c) >= 0 || (qc != 0 && c == qc)) {
			break
		}
	}
	str := hx.s[from:i]
	if substring && hx.at(i) == '?' {
		i++
	}
	if str == "" && substring {
		str = hx.st.search
	}
	if str == "" {
		return "", i, false
	}
	for k := len(hx.entries) - 1; k >= 0; k-- {
		e := hx.entries[k]
		if !substring {
			if strings.HasPrefix(e, str) {
				return e, i, true
			}
			continue
		}
		if at := strings.LastIndex(e, str); at >= 0 { // the last match, as readline searches backwards
			hx.st.search = str
			hx.st.searchMatch = ""
			if words, w := histTokenize(e, at); w >= 0 {
				hx.st.searchMatch = words[w]
			}
			return e, i, true
		}
	}
	return "", i, false
}

// words reads the word designator at s[*i], if any, and returns the words
// of event it designates; has is clear when there is none (the event is
// used whole) and bad set when the words do not exist.
func (hx *histExpander) words(ip *int, event string) (text string, has, bad bool) {
	i := *ip
	expecting := false
	if hx.at(i) == ':' {
		i++
		expecting = true
	}
	switch hx.at(i) {
	case '%':
		*ip = i + 1
		return hx.st.searchMatch, true, false
	case '*':
		*ip = i + 1
		w, _ := histArgs(event, 1, histLastWord)
		return w, true, false
	case '$':
		*ip = i + 1
		w, ok := histArgs(event, histLastWord, histLastWord)
		return w, ok, false
	}
	var first, last int
	switch c := hx.at(i); {
	case c == '-':
		first = 0
	case c == '^':
		first = 1
		i++
	case isDigitByte(c) && expecting:
		first, i = histNumber(hx.s, i)
	default:
		return "", false, false
	}
	switch c := hx.at(i); c {
	case '^':
		last = 1
		i++
	case '*':
		last = histLastWord
		i++
	case '-':
		i++
		switch c := hx.at(i); {
		case isDigitByte(c):
			last, i = histNumber(hx.s, i)
		case c == '$':
			last = histLastWord
			i++
		case c == '^':
			last = 1
			i++
		default:
			last = -1
		}
	default:
		last = first
	}
	*ip = i
	if last >= first || last < 0 {
		if w, ok := histArgs(event, first, last); ok {
			return w, true, false
		}
	}
	return "", false, true
}

// histNumber reads the decimal number at s[i] and returns it and the index
// after it; huge numbers are capped (no such word or entry exists).
func histNumber(s string, i int) (int, int) {
	n := 0
	for ; isDigitByte(byteAt(s, i)); i++ {
		if n < 1<<30 {
			n = n*10 + int(s[i]-'0')
		}
	}
	return n, i
}

// histArgs returns words first to last of event, joined by spaces. last
// may be histLastWord or -1 (up to the one before the last word), first
// histLastWord.
func histArgs(event string, first, last int) (string, bool) {
	words, _ := histTokenize(event, -1)
	n := len(words)
	if n == 0 {
		return "", false
	}
	switch last {
	case -1:
		last = n - 2
	case histLastWord:
		last = n - 1
	}
	if first == histLastWord {
		first = n - 1
	}
	last++
	if first >= n || last > n || first < 0 || last < 0 || first > last {
		return "", false
	}
	return strings.Join(words[first:last], " "), true
}

// histTokenize splits s into words as history's word designators count
// them; a # starting a word ends the words. When at is an index of s, w is
// the number of the word holding it (-1 when none does).
func histTokenize(s string, at int) (words []string, w int) {
	w = -1
	for i := 0; i < len(s); {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n') {
			i++
		}
		if i >= len(s) || s[i] == '#' {
			break
		}
		start := i
		i = histWordEnd(s, start)
		if i <= start {
			i = start + 1
			for i < len(s) && strings.IndexByte(histWordDelims, s[i]) >= 0 {
				i++
			}
		}
		if at >= start && at < i {
			w = len(words)
		}
		words = append(words, s[start:i])
	}
	return words, w
}

// histWordEnd returns the index after the word starting at s[i]: an
// operator (; && | >> 2>&1 <<- ...), or a word that runs to an unquoted
// delimiter (quotes, backslashes and $( ) <( ) !( ) ... nest in it).
func histWordEnd(s string, i int) int {
	c := byteAt(s, i)
	if c == '(' || c == ')' || c == '\n' {
		return i + 1
	}
	if isDigitByte(c) {
		j := i
		for isDigitByte(byteAt(s, j)) {
			j++
		}
		if j >= len(s) {
			return j
		}
		i = j
		if s[j] != '<' && s[j] != '>' {
			return histWordRest(s, i, 0, 0)
		}
	}
	if c := byteAt(s, i); c != 0 && strings.IndexByte("<>;&|", c) >= 0 {
		peek := byteAt(s, i+1)
		switch {
		case peek == c:
			if peek == '<' && (byteAt(s, i+2) == '-' || byteAt(s, i+2) == '<') {
				i++
			}
			return min(i+2, len(s))
		case peek == '&' && (c == '>' || c == '<'):
			j := i + 2
			for isDigitByte(byteAt(s, j)) {
				j++
			}
			if byteAt(s, j) == '-' {
				j++
			}
			return min(j, len(s))
		case (peek == '>' && c == '&') || (peek == '|' && c == '>'):
			return i + 2
		case peek == '(' && (c == '>' || c == '<'):
			return histWordRest(s, i+2, ')', 1)
		}
		return i + 1
	}
	return histWordRest(s, i, 0, 0)
}

// histWordRest scans a word from s[i] to its end; delim is the quote or
// closing parenthesis open (nest levels of parentheses).
func histWordRest(s string, i int, delim byte, nest int) int {
	if delim == 0 && strings.IndexByte("\"'`", byteAt(s, i)) >= 0 && i < len(s) {
		delim = s[i]
		i++
	}
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && delim != '\'':
			i++
			continue
		case nest > 0 && c == '(':
			nest++
			continue
		case nest > 0 && c == delim:
			nest--
			if nest == 0 {
				delim = 0
			}
			continue
		case delim != 0 && c == delim:
			delim = 0
			continue
		case nest == 0 && delim == 0 && strings.IndexByte("<>$!@?+*", c) >= 0 && byteAt(s, i+1) == '(':
			i += 2
			delim, nest = ')', 1
			continue
		}
		if delim == 0 && strings.IndexByte(histWordDelims, c) >= 0 {
			break
		}
		if delim == 0 && strings.IndexByte("\"'`", c) >= 0 {
			delim = c
		}
	}
	return min(i, len(s))
}

// histSubstPattern reads the old or new part of a :s modifier from s[*i]
// up to delim (or the end of the line); a backslash quotes delim. have is
// clear for an empty old part (the previous one is used).
func histSubstPattern(s string, ip *int, delim string, rhs bool) (string, bool) {
	i := *ip
	var b strings.Builder
	for i < len(s) && !strings.HasPrefix(s[i:], delim) {
		if s[i] == '\\' && strings.HasPrefix(s[i+1:], delim) {
			i++
			b.WriteString(delim)
			i += len(delim)
			continue
		}
		b.WriteByte(s[i])
		i++
	}
	empty := i == *ip
	if i < len(s) {
		i += len(delim)
	}
	*ip = i
	if empty && !rhs {
		return "", false
	}
	return b.String(), true
}

// histSubstRHS replaces & in the new part of a :s by the old part; \&
// stands for a plain &.
func histSubstRHS(rhs, lhs string) string {
	if strings.IndexByte(rhs, '&') < 0 {
		return rhs
	}
	var b strings.Builder
	for i := 0; i < len(rhs); i++ {
		switch {
		case rhs[i] == '&':
			b.WriteString(lhs)
		case rhs[i] == '\\' && byteAt(rhs, i+1) == '&':
			b.WriteByte('&')
			i++
		default:
			b.WriteByte(rhs[i])
		}
	}
	return b.String()
}

// histSubstitute replaces lhs by rhs in text: the first occurrence, all
// of them (global) or the first in each word (byWords). done is clear when
// there was none.
func histSubstitute(text, lhs, rhs string, global, byWords bool) (string, bool) {
	if len(lhs) > len(text) {
		return text, false
	}
	switch {
	case global:
		if !strings.Contains(text, lhs) {
			return text, false
		}
		return strings.ReplaceAll(text, lhs, rhs), true
	case byWords:
		done := false
		wordEnd := -1
		for i := 0; i+len(lhs) <= len(text); i++ {
			if i > wordEnd {
				for i < len(text) && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n') {
					i++
				}
				wordEnd = histWordEnd(text, i)
			}
			if strings.HasPrefix(text[i:], lhs) {
				text = text[:i] + rhs + text[i+len(lhs):]
				done = true
				i = wordEnd
			}
		}
		return text, done
	}
	k := strings.Index(text, lhs)
	if k < 0 {
		return text, false
	}
	return text[:k] + rhs + text[k+len(lhs):], true
}

// histQuoteWords is :x: text in single quotes, broken at blanks and
// newlines so that each word is a word of its own.
func histQuoteWords(text string) string {
	var b strings.Builder
	b.WriteByte('\'')
	for i := 0; i < len(text); i++ {
		switch c := text[i]; c {
		case '\'':
			b.WriteString(`'\''`)
		case ' ', '\t', '\n':
			b.WriteByte('\'')
			b.WriteByte(c)
			b.WriteByte('\'')
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('\'')
	return b.String()
}

// histQuoteOf is the quoting state an incomplete command leaves the next
// line in, from the parser's error: an open single or double quote, or a
// here-document whose lines are not expanded; 0 otherwise.
func histQuoteOf(err error) byte {
	var pe syntax.ParseError
	if err == nil || !errors.As(err, &pe) || !syntax.IsIncomplete(err) {
		return 0
	}
	switch {
	case strings.Contains(pe.Text, "here-document"):
		return histQuoteHeredoc
	case strings.HasSuffix(pe.Text, "closing quote `'`"):
		return '\''
	case strings.HasSuffix(pe.Text, "closing quote `\"`"):
		return '"'
	}
	return 0
}

// histList returns the entries and the number of the first one.
func (h *history) histList() ([]string, int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	base := h.base
	if base == 0 {
		base = 1
	}
	return append([]string(nil), h.entries...), base
}

// errHistoryDropped is what readCommand returns when a line's history
// expansion failed or was only to be printed: nothing runs.
var errHistoryDropped = errors.New("history expansion dropped the line")

// historyExpandLine expands a line typed at the prompt (quote: the quoting
// it starts in; first: it is the first line of a command). It echoes a
// line the expansion changed, as bash does, and reports whether the line
// is to be used: not when the expansion failed (the error is reported) or
// ended in :p (the line is printed, and kept in the history when it is a
// first line).
func (r *Runner) historyExpandLine(line string, quote byte, first bool) (string, bool) {
	if !mayHistExpand(line) {
		return line, true
	}
	entries, base := r.sh.ia.hist.histList()
	out, printOnly, err := historyExpand(line, entries, base, quote, &r.sh.ia.hx)
	if err != nil {
		r.errorf("%s", err.Error())
		return "", false
	}
	if printOnly {
		r.errWrite(out + "\n")
		if first {
			r.addHistory(out, out)
		}
		return "", false
	}
	if out != line {
		r.errWrite(out + "\n")
	}
	return out, true
}
