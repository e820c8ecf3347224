package shell

import (
	"strings"
	"sync/atomic"

	"mvdan.cc/sh/v3/syntax"
)

// cowTable is a name-keyed table (functions, aliases, the command hash)
// shared between a
// state and its subshells, copied by the first one that writes to it.
type cowTable[V any] struct {
	m    map[string]V
	refs atomic.Int32
}

func newCowTable[V any]() *cowTable[V] {
	t := &cowTable[V]{m: map[string]V{}}
	t.refs.Store(1)
	return t
}

func (t *cowTable[V]) share() *cowTable[V] { t.refs.Add(1); return t }
func (t *cowTable[V]) release()            { t.refs.Add(-1) }

// own returns t itself when no one else holds it, else a private copy
// (dropping the reference to t); the caller keeps the result.
func (t *cowTable[V]) own() *cowTable[V] {
	if t.refs.Load() == 1 {
		return t
	}
	n := newCowTable[V]()
	for k, v := range t.m {
		n.m[k] = v
	}
	t.release()
	return n
}

// funcTable holds the shell's functions.
type funcTable = cowTable[*syntax.Stmt]

// aliasTable holds the shell's aliases.
type aliasTable = cowTable[string]

// hashTable is the command hash: the paths PATH lookups found, by command
// name. A subshell starts with its parent's and keeps what it learns to
// itself, as a forked shell would.
type hashTable = cowTable[string]

func newFuncTable() *funcTable   { return newCowTable[*syntax.Stmt]() }
func newAliasTable() *aliasTable { return newCowTable[string]() }
func newHashTable() *hashTable   { return newCowTable[string]() }

func (r *Runner) hashGet(name string) string { return r.hash.m[name] }

func (r *Runner) hashPut(name, path string) {
	r.hash = r.hash.own()
	r.hash.m[name] = path
}

func (r *Runner) hashDelete(name string) {
	if _, ok := r.hash.m[name]; ok {
		r.hash = r.hash.own()
		delete(r.hash.m, name)
	}
}

func (r *Runner) hashClear() {
	if len(r.hash.m) > 0 {
		r.hash.release()
		r.hash = newHashTable()
	}
}

// setFunc defines a function, or removes it when body is nil.
func (r *Runner) setFunc(name string, body *syntax.Stmt) {
	r.funcs = r.funcs.own()
	if body == nil {
		delete(r.funcs.m, name)
		return
	}
	r.funcs.m[name] = body
}

// setAlias defines an alias, or removes it when remove is set.
func (r *Runner) setAlias(name, value string, remove bool) {
	r.aliases = r.aliases.own()
	if remove {
		delete(r.aliases.m, name)
		return
	}
	r.aliases.m[name] = value
	sh := r.sh
	sh.aliasMu.Lock()
	if sh.aliasUnit == nil {
		sh.aliasUnit = map[string]int64{}
	}
	sh.aliasUnit[name] = r.unit
	sh.aliasMu.Unlock()
}

// aliasUsable reports whether alias name may replace a command word now:
// not in the complete command that defined it.
func (r *Runner) aliasUsable(name string) bool {
	if r.aliasInUse(name) {
		return false
	}
	if r.unit == 0 {
		return true
	}
	sh := r.sh
	sh.aliasMu.Lock()
	u, ok := sh.aliasUnit[name]
	sh.aliasMu.Unlock()
	return !ok || u != r.unit
}

// callAlias runs a simple command whose first word is an alias: the
// alias's text replaces the word and the command is parsed again.
func (r *Runner) callAlias(c *syntax.CallExpr) int {
	var b strings.Builder
	first := c.Args[0].Lit()
	val := r.aliases.m[first]
	b.WriteString(val)
	rest := c.Args[1:]
	// a value ending in a blank makes the next word an alias too
	for len(rest) > 0 && (strings.HasSuffix(val, " ") || strings.HasSuffix(val, "\t")) {
		next, ok := r.aliases.m[rest[0].Lit()]
		if !ok || !r.aliasUsable(rest[0].Lit()) {
			break
		}
		b.WriteByte(' ')
		b.WriteString(next)
		val = next
		rest = rest[1:]
	}
	for _, w := range rest {
		b.WriteByte(' ')
		b.WriteString(printNode(w))
	}
	src := b.String()
	for _, as := range c.Assigns {
		src = printNode(as) + " " + src
	}
	p := syntax.NewParser(syntax.Variant(syntax.LangBash))
	f, err := p.Parse(strings.NewReader(src), "")
	if err != nil {
		r.errorf("%s", syntaxErrorText(err))
		return 2
	}
	// an alias expanding to itself stops at the same word
	r.aliasActive = append(r.aliasActive, first)
	r.stmts(f.Stmts)
	r.aliasActive = r.aliasActive[:len(r.aliasActive)-1]
	return r.lastStatus
}

func (r *Runner) aliasInUse(name string) bool {
	for _, a := range r.aliasActive {
		if a == name {
			return true
		}
	}
	return false
}
