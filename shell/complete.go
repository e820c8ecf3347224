package shell

import (
	"os"
	"path/filepath"
	"sort"
	"strings"

	"mvdan.cc/sh/v3/expand"
)

// Tab completion, as bash does it without programmable completion: the
// word before the cursor is completed to a command name (builtin,
// function, alias, keyword or executable in $PATH) in command position,
// to a variable name after $, to a user name after a leading ~, and to a
// file name elsewhere (directory names only after cd). File names are
// quoted in the style the word uses (backslashes when it is not in
// quotes); directories get a trailing /, other unique matches a space.

// Completion is what Tab may add at the cursor.
type Completion struct {
	// Candidates are the texts to insert at the cursor, one per match,
	// already quoted; a line editor inserts the one there is, or the
	// prefix they share, and lists them when there is nothing to add.
	Candidates []string
	// Shown is the number of bytes before the cursor that a listing
	// shows in front of each candidate (the part of the matched name
	// already typed).
	Shown int
}

// Complete completes the word that ends at cursor, a byte offset in line.
func (r *Runner) Complete(line string, cursor int) Completion {
	if cursor < 0 || cursor > len(line) {
		return Completion{}
	}
	ctx := scanForCompletion(line[:cursor])
	word := line[ctx.start:cursor]
	if r.sh.comp != nil {
		if c, ok := r.programmableComplete(line, cursor, ctx); ok {
			return c
		}
	}
	if c, ok := r.completeVariable(word); ok {
		return c
	}
	if strings.HasPrefix(word, "~") && !strings.Contains(word, "/") && ctx.quote == 0 {
		return completeUser(word[1:])
	}
	if ctx.commandPos && !strings.Contains(ctx.value, "/") {
		if ctx.value == "" {
			return Completion{} // not every command there is
		}
		return r.completeCommand(ctx)
	}
	dirsOnly := ctx.command == "cd" || ctx.command == "pushd"
	return r.completeFile(ctx, dirsOnly)
}

// completionContext is where the cursor is, as far as completion cares.
type completionContext struct {
	start      int    // offset of the word being completed
	commandPos bool   // the word names a command
	command    string // the command the word is an argument of
	quote      byte   // quote open at the cursor: 0, '\'' or '"'
	word       string // the word as typed
	value      string // the word without its quoting
	slash      int    // offset just past the word's last unquoted /, or start
	cursor     int    // offset of the cursor (the end of the word)
}

// commandKeywords are reserved words after which a command name comes.
var commandKeywords = map[string]bool{
	"if": true, "then": true, "else": true, "elif": true, "do": true,
	"while": true, "until": true, "!": true, "{": true, "time": true,
}

// scanForCompletion finds the last word of left, the text before the
// cursor, and whether it is in command position.
func scanForCompletion(left string) completionContext {
	ctx := completionContext{commandPos: true}
	inWord, afterRedir := false, false
	var quote byte
	endWord := func(w string) {
		inWord = false
		switch {
		case afterRedir:
			afterRedir = false
		case ctx.commandPos && (commandKeywords[w] || isAssignmentWord(w)):
		case ctx.commandPos:
			ctx.commandPos, ctx.command = false, w
		}
	}
	newCommand := func() {
		ctx.commandPos, ctx.command, afterRedir = true, "", false
	}
	begin := func(i int) {
		if !inWord {
			inWord, ctx.start = true, i
		}
	}
	for i := 0; i < len(left); i++ {
		c := left[i]
		switch quote {
		case '\'':
			if c == '\'' {
				quote = 0
			}
			continue
		case '"':
			if c == '\\' {
				i++
			} else if c == '"' {
				quote = 0
			}
			continue
		}
		switch c {
		case '\\':
			begin(i)
			i++
		case '\'', '"':
			begin(i)
			quote = c
		case ' ', '\t':
			if inWord {
				endWord(left[ctx.start:i])
			}
		case ';', '&', '|', '(', ')', '\n', '`':
			if inWord {
				endWord(left[ctx.start:i])
			}
			newCommand()
		case '<', '>':
			if inWord {
				endWord(left[ctx.start:i])
			}
			afterRedir = true
		case '$':
			if i+1 < len(left) && left[i+1] == '(' {
				if inWord {
					endWord(left[ctx.start:i])
				}
				newCommand()
				i++
				continue
			}
			begin(i)
		default:
			begin(i)
		}
	}
	if !inWord {
		ctx.start = len(left)
	}
	if afterRedir {
		ctx.commandPos = false
	}
	ctx.quote = quote
	ctx.word = left[ctx.start:]
	ctx.value, ctx.slash = unquoteForCompletion(ctx.word, nil)
	ctx.slash += ctx.start
	ctx.cursor = len(left)
	return ctx
}

// isAssignmentWord reports whether w is a NAME=value prefix assignment.
func isAssignmentWord(w string) bool {
	name, _, ok := strings.Cut(w, "=")
	return ok && checkName(name)
}

// unquoteForCompletion removes the quoting of a (possibly unfinished)
// word and returns the offset just past its last unquoted slash. With
// lookup, the $NAME and ${NAME} outside single quotes become their values
// (other expansions stay as they are: Tab runs no command).
func unquoteForCompletion(w string, lookup func(string) string) (string, int) {
	var b strings.Builder
	var quote byte
	slash := 0
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c == '$' && quote != '\'' && lookup != nil {
			if name, n := varRefAt(w[i:]); n > 0 {
				b.WriteString(lookup(name))
				i += n - 1
				continue
			}
		}
		switch {
		case quote == '\'':
			if c == '\'' {
				quote = 0
				continue
			}
		case quote == '"':
			if c == '"' {
				quote = 0
				continue
			}
			if c == '\\' && i+1 < len(w) && strings.IndexByte("$`\"\\", w[i+1]) >= 0 {
				i++
				c = w[i]
			}
		case c == '\'' || c == '"':
			quote = c
			continue
		case c == '\\':
			if i+1 == len(w) {
				continue
			}
			i++
			c = w[i]
		}
		b.WriteByte(c)
		if c == '/' {
			slash = i + 1
		}
	}
	return b.String(), slash
}

// varRefAt returns the name of the $NAME or ${NAME} that s starts with
// and its length, or a length of 0.
func varRefAt(s string) (string, int) {
	if strings.HasPrefix(s, "${") {
		end := strings.IndexByte(s, '}')
		if end > 2 && checkName(s[2:end]) {
			return s[2:end], end + 1
		}
		return "", 0
	}
	n := 1
	for n < len(s) && (s[n] == '_' || s[n] >= 'a' && s[n] <= 'z' || s[n] >= 'A' && s[n] <= 'Z' || n > 1 && s[n] >= '0' && s[n] <= '9') {
		n++
	}
	if n == 1 {
		return "", 0
	}
	return s[1:n], n
}

// quoteForCompletion quotes s for insertion in a word whose open quote
// is quote (0 for none), bash style; atStart says s begins the word.
func quoteForCompletion(s string, quote byte, atStart bool) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch quote {
		case '\'':
			if c == '\'' {
				b.WriteString(`'\''`)
				continue
			}
		case '"':
			if strings.IndexByte("$`\"\\", c) >= 0 {
				b.WriteByte('\\')
			}
		default:
			if strings.IndexByte(" \t\n\\'\"`$&|;()<>*?[]{}!", c) >= 0 ||
				(i == 0 && atStart && (c == '#' || c == '~')) {
				b.WriteByte('\\')
			}
		}
		b.WriteByte(c)
	}
	return b.String()
}

// completeVariable completes $NAME and ${NAME.
func (r *Runner) completeVariable(word string) (Completion, bool) {
	i := strings.LastIndexByte(word, '$')
	if i < 0 || (i > 0 && word[i-1] == '\\') || strings.Contains(word[:i], "'") {
		return Completion{}, false
	}
	prefix, braced := word[i+1:], false
	if strings.HasPrefix(prefix, "{") {
		prefix, braced = prefix[1:], true
	}
	if prefix != "" && !checkName(prefix) {
		return Completion{}, false
	}
	var c Completion
	seen := map[string]bool{}
	r.Each(func(name string, vr expand.Variable) bool {
		if strings.HasPrefix(name, prefix) && !seen[name] && vr.IsSet() {
			seen[name] = true
			s := name[len(prefix):]
			if braced {
				s += "}"
			}
			c.Candidates = append(c.Candidates, s)
		}
		return true
	})
	sort.Strings(c.Candidates)
	c.Shown = len(prefix)
	return c, true
}

// completeUser completes ~user.
func completeUser(prefix string) Completion {
	data, err := os.ReadFile("/etc/passwd")
	if err != nil {
		return Completion{}
	}
	var c Completion
	for _, line := range strings.Split(string(data), "\n") {
		name, _, _ := strings.Cut(line, ":")
		if name != "" && strings.HasPrefix(name, prefix) {
			c.Candidates = append(c.Candidates, name[len(prefix):]+"/")
		}
	}
	sort.Strings(c.Candidates)
	c.Candidates = dedupeSorted(c.Candidates)
	c.Shown = len(prefix)
	return c
}

// completeCommand completes a command name.
func (r *Runner) completeCommand(ctx completionContext) Completion {
	prefix := ctx.value
	seen := map[string]bool{}
	var names []string
	add := func(n string) {
		if strings.HasPrefix(n, prefix) && !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	for n := range builtins {
		if !r.disabled[n] {
			add(n)
		}
	}
	for n := range r.funcs.m {
		add(n)
	}
	for n := range r.aliases.m {
		add(n)
	}
	for _, n := range []string{"if", "then", "else", "elif", "fi", "case", "esac", "for", "select",
		"while", "until", "do", "done", "in", "function", "time", "[[", "]]", "{", "}", "!"} {
		add(n)
	}
	for _, dir := range filepath.SplitList(r.getString("PATH")) {
		if dir == "" {
			dir = "."
		}
		ents, err := os.ReadDir(r.abs(dir))
		if err != nil {
			continue
		}
		for _, e := range ents {
			n := e.Name()
			if seen[n] || !strings.HasPrefix(n, prefix) {
				continue
			}
			if st, err := os.Stat(filepath.Join(r.abs(dir), n)); err == nil && st.Mode().IsRegular() && st.Mode()&0o111 != 0 {
				add(n)
			}
		}
	}
	sort.Strings(names)
	c := Completion{Shown: ctx.cursor - ctx.start}
	for _, n := range names {
		s := quoteForCompletion(n[len(prefix):], ctx.quote, prefix == "")
		if len(names) == 1 {
			s += closeQuote(ctx.quote) + " "
		}
		c.Candidates = append(c.Candidates, s)
	}
	return c
}

// completeFile completes a file name (a directory name with dirsOnly).
func (r *Runner) completeFile(ctx completionContext, dirsOnly bool) Completion {
	value := ctx.value
	dir, base := "", value
	if i := strings.LastIndexByte(value, '/'); i >= 0 {
		dir, base = value[:i+1], value[i+1:]
	}
	if strings.Contains(dir, "$") {
		// list the directory $HOME/ names, as bash does
		dir, _ = unquoteForCompletion(ctx.word[:ctx.slash-ctx.start], r.getString)
	}
	listDir := r.expandTilde(dir)
	if listDir == "" {
		listDir = "."
	}
	ents, err := os.ReadDir(r.abs(listDir))
	if err != nil {
		return Completion{}
	}
	type match struct {
		name  string
		isDir bool
	}
	var matches []match
	for _, e := range ents {
		n := e.Name()
		if !strings.HasPrefix(n, base) || (strings.HasPrefix(n, ".") && !strings.HasPrefix(base, ".")) {
			continue
		}
		isDir := e.IsDir()
		if e.Type()&os.ModeSymlink != 0 {
			if st, err := os.Stat(filepath.Join(r.abs(listDir), n)); err == nil {
				isDir = st.IsDir()
			}
		}
		if dirsOnly && !isDir {
			continue
		}
		matches = append(matches, match{n, isDir})
	}
	sort.Slice(matches, func(i, j int) bool { return matches[i].name < matches[j].name })
	c := Completion{Shown: ctx.cursor - ctx.slash}
	for _, m := range matches {
		s := quoteForCompletion(m.name[len(base):], ctx.quote, value == "")
		if m.isDir {
			s += "/"
		} else if len(matches) == 1 {
			s += closeQuote(ctx.quote) + " "
		}
		c.Candidates = append(c.Candidates, s)
	}
	return c
}

// closeQuote is the text that closes quote.
func closeQuote(quote byte) string {
	if quote == 0 {
		return ""
	}
	return string(quote)
}

// expandTilde replaces a leading ~ or ~user of a path.
func (r *Runner) expandTilde(p string) string {
	if !strings.HasPrefix(p, "~") {
		return p
	}
	name, rest, _ := strings.Cut(p[1:], "/")
	var home string
	if name == "" {
		home = r.getString("HOME")
	} else {
		home = homeOf(name)
	}
	if home == "" {
		return p
	}
	if rest == "" && !strings.Contains(p, "/") {
		return home
	}
	return strings.TrimSuffix(home, "/") + "/" + rest
}

func dedupeSorted(s []string) []string {
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}
