package shell

import (
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync/atomic"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"
)

// Programmable completion, as bash's complete/compgen/compopt: a
// completion specification (compspec) says how to generate the candidates
// for the arguments of a command: actions (-f, -d, -A function...), a word
// list (-W), a glob (-G), a shell function (-F) whose COMPREPLY is taken,
// a filter (-X), a prefix and suffix (-P, -S) and options (-o).

// compOpt is a set of -o options.
type compOpt uint16

const (
	coptBashdefault compOpt = 1 << iota
	coptDefault
	coptDirnames
	coptFilenames
	coptNoquote
	coptNosort
	coptNospace
	coptPlusdirs
)

// compOptNames are the -o options in bash's listing order.
var compOptNames = []struct {
	name string
	bit  compOpt
}{
	{"bashdefault", coptBashdefault}, {"default", coptDefault}, {"dirnames", coptDirnames},
	{"filenames", coptFilenames}, {"noquote", coptNoquote}, {"nosort", coptNosort},
	{"nospace", coptNospace}, {"plusdirs", coptPlusdirs},
}

// compOptByName returns the -o option called name.
func compOptByName(name string) (compOpt, bool) {
	for _, o := range compOptNames {
		if o.name == name {
			return o.bit, true
		}
	}
	return 0, false
}

// compActions are the -A action names in bash's generation order, with
// the short option that stands for them (0 when there is none).
var compActions = []struct {
	name  string
	short byte
}{
	{"alias", 'a'}, {"arrayvar", 0}, {"binding", 0}, {"builtin", 'b'}, {"command", 'c'},
	{"directory", 'd'}, {"disabled", 0}, {"enabled", 0}, {"export", 'e'}, {"file", 'f'},
	{"function", 0}, {"group", 'g'}, {"helptopic", 0}, {"hostname", 0}, {"job", 'j'},
	{"keyword", 'k'}, {"running", 0}, {"service", 's'}, {"setopt", 0}, {"shopt", 0},
	{"signal", 0}, {"stopped", 0}, {"user", 'u'}, {"variable", 'v'},
}

// compSpec is one completion specification.
type compSpec struct {
	actions uint32 // bit i: compActions[i]
	opts    compOpt
	args    [len(compArgLetters)]string // the string options, by compArg
	given   uint8                       // bit a: args[a] was given (it may be empty)
}

// compArg indexes a compspec's string options, in compArgLetters' order.
type compArg int

const (
	argGlob    compArg = iota // -G globpat
	argWords                  // -W wordlist
	argPrefix                 // -P prefix
	argSuffix                 // -S suffix
	argFilter                 // -X filterpat
	argCommand                // -C command
	argFunc                   // -F function
)

// compArgLetters are the string options' letters, in the order complete -p
// prints them.
const compArgLetters = "GWPSXCF"

// arg returns the string option a and whether it was given.
func (cs *compSpec) arg(a compArg) (string, bool) {
	return cs.args[a], cs.given&(1<<a) != 0
}

// setArg sets the string option with letter c, reporting false if c is not
// one.
func (cs *compSpec) setArg(c byte, val string) bool {
	i := strings.IndexByte(compArgLetters, c)
	if i < 0 {
		return false
	}
	cs.args[i], cs.given = val, cs.given|1<<i
	return true
}

// compState is the shell's table of compspecs, and the options of the
// completion being run (for compopt).
type compState struct {
	specs      map[string]*compSpec // by command name, or a special key (compDefaultKey ...)
	current    *compOpt             // the running completion's options
	abort      atomic.Bool          // the completion function ran too long
	funcStatus int                  // the status of the last -F function
}

// The keys of the -D (default), -E (empty line) and -I (command word)
// compspecs in compState.specs: no command is called that.
const (
	compDefaultKey = "\x00D"
	compEmptyKey   = "\x00E"
	compInitialKey = "\x00I"
)

// compState returns the shell's compspec table, made on first use.
func (r *Runner) compState() *compState {
	if r.sh.comp == nil {
		r.sh.comp = &compState{specs: map[string]*compSpec{}}
	}
	return r.sh.comp
}

// compKeywords are the reserved words, for -k.
var compKeywords = []string{"if", "then", "else", "elif", "fi", "case", "esac", "for", "select",
	"while", "until", "do", "done", "in", "function", "time", "{", "}", "!", "[[", "]]", "coproc"}

// generate runs the spec's actions, glob, word list, function and command
// for word (the word being completed), filters the results and adds the
// prefix and suffix. funcArgs are the arguments ($1 $2 $3) of the -F
// function and the -C command: the command name, word and the word before.
func (r *Runner) generate(cs *compSpec, word string, funcArgs []string) []string {
	var out []string
	for i, a := range compActions {
		if cs.actions&(1<<i) != 0 {
			out = append(out, r.actionMatches(a.name, word)...)
		}
	}
	if glob, ok := cs.arg(argGlob); ok {
		// the shell's globbing (no dot files for *), without GLOBIGNORE
		// as in bash
		out = append(out, r.globPaths(r.expandTilde(glob))...)
	}
	if list, ok := cs.arg(argWords); ok {
		for _, w := range r.splitWordlist(list) {
			if strings.HasPrefix(w, word) {
				out = append(out, w)
			}
		}
	}
	if fn, ok := cs.arg(argFunc); ok {
		out = append(out, r.runCompFunction(fn, funcArgs)...)
	}
	if cmd, ok := cs.arg(argCommand); ok {
		out = append(out, r.runCompCommand(cmd, funcArgs)...)
	}
	if pat, ok := cs.arg(argFilter); ok {
		neg := false
		if strings.HasPrefix(pat, "!") {
			pat, neg = pat[1:], true
		}
		pat = expandAmpersand(pat, word)
		kept := out[:0]
		for _, s := range out {
			if matchPattern(pat, s) == neg {
				kept = append(kept, s)
			}
		}
		out = kept
	}
	if prefix, suffix := cs.args[argPrefix], cs.args[argSuffix]; prefix != "" || suffix != "" {
		for i, s := range out {
			out[i] = prefix + s + suffix
		}
	}
	if len(out) == 0 && cs.opts&coptDirnames != 0 {
		out = r.actionMatches("directory", word)
	} else if cs.opts&coptPlusdirs != 0 {
		out = append(out, r.actionMatches("directory", word)...)
	}
	return out
}

// expandAmpersand replaces the unescaped & of a -X pattern with word,
// quoted: its * ? [ match themselves (bash).
func expandAmpersand(pat, word string) string {
	if !strings.Contains(pat, "&") {
		return pat
	}
	var b strings.Builder
	for i := 0; i < len(pat); i++ {
		switch {
		case pat[i] == '\\' && i+1 < len(pat) && pat[i+1] == '&':
			b.WriteByte('&')
			i++
		case pat[i] == '&':
			b.WriteString(escapePattern(word))
		default:
			b.WriteByte(pat[i])
		}
	}
	return b.String()
}

// splitWordlist splits a -W word list at IFS characters outside quotes
// and expansions, and expands each word as bash does: parameters, command
// substitutions and quotes, with field splitting but no globbing.
func (r *Runner) splitWordlist(list string) []string {
	ifs := r.ifs()
	var out []string
	for i := 0; i < len(list); {
		for i < len(list) && strings.IndexByte(ifs, list[i]) >= 0 {
			i++
		}
		if i >= len(list) {
			break
		}
		end := wordlistWordEnd(list, i, ifs)
		w := list[i:end]
		i = end
		if !strings.ContainsAny(w, "$`'\"\\~{") {
			out = append(out, w)
			continue
		}
		out = append(out, r.expandCompFields(w)...)
	}
	return out
}

// wordlistWordEnd returns the index after the word of a -W list starting
// at s[i]: it runs to an IFS character outside quotes, $(...), ${...} and
// `...`.
func wordlistWordEnd(s string, i int, ifs string) int {
	var quote byte // ' " or `
	depth := 0     // open $( ${ (and the parentheses or braces in them)
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case quote == '\'':
			if c == '\'' {
				quote = 0
			}
		case c == '\\':
			i++
		case quote == '`':
			if c == '`' {
				quote = 0
			}
		case c == '$' && (byteAt(s, i+1) == '(' || byteAt(s, i+1) == '{'):
			depth++
			i++
		case depth > 0 && (c == '(' || c == '{'):
			depth++
		case depth > 0 && (c == ')' || c == '}'):
			depth--
		case c == '"':
			if quote == '"' {
				quote = 0
			} else if depth == 0 {
				quote = '"'
			}
		case quote == 0 && (c == '\'' || c == '`'):
			quote = c
		case quote == 0 && depth == 0 && strings.IndexByte(ifs, c) >= 0:
			return i
		}
	}
	return min(i, len(s))
}

// expandCompFields expands one word of a word list: parameters, command
// substitutions, quotes and field splitting, without globbing. A word
// that does not parse stands for itself.
func (r *Runner) expandCompFields(w string) []string {
	var words []*syntax.Word
	for x, err := range newParser().WordsSeq(strings.NewReader(w)) {
		if err != nil {
			return []string{w}
		}
		words = append(words, x)
	}
	noglob := r.opts.noglob
	r.opts.noglob = true
	fields, err := r.fields(words...)
	r.opts.noglob = noglob
	if err != nil {
		return []string{w}
	}
	return fields
}

// expandCompWord expands one word as the shell would, without field
// splitting or globbing.
func (r *Runner) expandCompWord(w string) string {
	var word *syntax.Word
	for x, err := range newParser().WordsSeq(strings.NewReader(w)) {
		if err != nil {
			return w
		}
		if word == nil {
			word = x
		}
	}
	if word == nil {
		return w
	}
	s, err := r.literal(word)
	if err != nil {
		return w
	}
	return s
}

// actionMatches lists the names action generates that begin with word.
func (r *Runner) actionMatches(action, word string) []string {
	var out []string
	add := func(n string) {
		if strings.HasPrefix(n, word) {
			out = append(out, n)
		}
	}
	sorted := func(m []string) []string { sort.Strings(m); return m }
	switch action {
	case "alias":
		for n := range r.aliases.m {
			add(n)
		}
		return sorted(out)
	case "builtin", "helptopic":
		for _, n := range builtinNames() {
			add(n)
		}
	case "enabled", "disabled":
		for _, n := range builtinNames() {
			if r.disabled[n] == (action == "disabled") {
				add(n)
			}
		}
	case "function":
		for n := range r.funcs.m {
			add(n)
		}
		return sorted(out)
	case "keyword":
		for _, n := range compKeywords {
			add(n)
		}
	case "variable", "export", "arrayvar":
		seen := map[string]bool{}
		r.Each(func(name string, vr expand.Variable) bool {
			if seen[name] || !vr.IsSet() {
				return true
			}
			seen[name] = true
			switch {
			case action == "export" && !vr.Exported:
			case action == "arrayvar" && vr.Kind != expand.Indexed && vr.Kind != expand.Associative:
			default:
				add(name)
			}
			return true
		})
		return sorted(out)
	case "command":
		if strings.Contains(word, "/") {
			return r.fileMatches(word, func(isDir bool, mode os.FileMode) bool {
				return isDir || mode&0o111 != 0
			})
		}
		ctx := completionContext{value: word}
		seen := map[string]bool{}
		for _, c := range r.completeCommand(ctx).Candidates {
			n := word + strings.TrimSuffix(c, " ")
			n, _ = unquoteForCompletion(n, nil)
			if !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
	case "directory":
		return r.fileMatches(word, func(isDir bool, _ os.FileMode) bool { return isDir })
	case "file":
		return r.fileMatches(word, nil)
	case "user":
		for _, c := range completeUser(word).Candidates {
			out = append(out, word+strings.TrimSuffix(c, "/"))
		}
	case "group":
		if data, err := os.ReadFile("/etc/group"); err == nil {
			for _, line := range strings.Split(string(data), "\n") {
				if n, _, _ := strings.Cut(line, ":"); n != "" {
					add(n)
				}
			}
		}
		return sorted(out)
	case "hostname":
		file := r.getString("HOSTFILE")
		if file == "" {
			file = "/etc/hosts"
		}
		for _, f := range tableFields(r.abs(file)) {
			if isDigitByte(f[0][0]) {
				f = f[1:] // the address (bash's test)
			}
			for _, n := range f {
				add(n)
			}
		}
	case "service":
		// the name, or else the first alias that matches (bash)
		for _, f := range tableFields("/etc/services") {
			names := f[:1]
			if len(f) > 2 {
				names = append(names, f[2:]...) // not the port
			}
			if i := slices.IndexFunc(names, func(n string) bool { return strings.HasPrefix(n, word) }); i >= 0 {
				out = append(out, names[i])
			}
		}
	case "signal":
		for _, n := range signalNamesForCompletion() {
			add(n)
		}
	case "setopt":
		var names []string
		for _, d := range optionDefs {
			if d.name != "" {
				names = append(names, d.name)
			}
		}
		for _, n := range sorted(names) {
			add(n)
		}
	case "shopt":
		for _, n := range sorted(append(append([]string(nil), shoptNames...), shoptStubs...)) {
			add(n)
		}
	}
	return out
}

// fileMatches lists the file names that begin with word (a path; a
// leading ~ is expanded to find them, and kept in the names), . and ..
// left out, keeping those keep accepts (all with nil).
func (r *Runner) fileMatches(word string, keep func(isDir bool, mode os.FileMode) bool) []string {
	dir, base := "", word
	if i := strings.LastIndexByte(word, '/'); i >= 0 {
		dir, base = word[:i+1], word[i+1:]
	}
	listDir := r.expandTilde(dir)
	if listDir == "" {
		listDir = "."
	}
	ents, err := os.ReadDir(r.abs(listDir))
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range ents {
		n := e.Name()
		if !strings.HasPrefix(n, base) {
			continue
		}
		if keep != nil {
			st, err := os.Stat(filepath.Join(r.abs(listDir), n))
			if err != nil || !keep(st.IsDir(), st.Mode()) {
				continue
			}
		}
		out = append(out, dir+n)
	}
	sort.Strings(out)
	return out
}

// tableFields returns the fields of each line of a table such as
// /etc/hosts, in the file's order; # starts a comment, lines without
// fields are left out.
func tableFields(file string) [][]string {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil
	}
	var out [][]string
	for line := range strings.Lines(string(data)) {
		line, _, _ = strings.Cut(line, "#")
		if f := strings.Fields(line); len(f) > 0 {
			out = append(out, f)
		}
	}
	return out
}

// signalNamesForCompletion lists the signal names as kill -l would
// (SIGHUP ...).
func signalNamesForCompletion() []string {
	var out []string
	for n := 1; n < 65; n++ {
		if name := signalName(n); name != "" {
			out = append(out, "SIG"+name)
		}
	}
	return out
}

// isDirectory reports whether the completed name s (a tilde is expanded)
// names a directory.
func (r *Runner) isDirectory(s string) bool {
	st, err := os.Stat(r.abs(r.expandTilde(s)))
	return err == nil && st.IsDir()
}
