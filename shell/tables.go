package shell

import (
	"strings"
	"sync/atomic"

	"mvdan.cc/sh/v3/syntax"
)

// funcTable holds the shell's functions, shared copy-on-write between a
// state and its subshells.
type funcTable struct {
	m    map[string]*syntax.Stmt
	refs atomic.Int32
}

func newFuncTable() *funcTable {
	t := &funcTable{m: map[string]*syntax.Stmt{}}
	t.refs.Store(1)
	return t
}

func (t *funcTable) share() *funcTable { t.refs.Add(1); return t }
func (t *funcTable) release()          { t.refs.Add(-1) }

// set defines (or with a nil body removes) a function in r's table.
func (t *funcTable) set(r *Runner, name string, body *syntax.Stmt) {
	if t.refs.Load() > 1 {
		n := newFuncTable()
		for k, v := range t.m {
			n.m[k] = v
		}
		t.release()
		r.funcs = n
		t = n
	}
	if body == nil {
		delete(t.m, name)
		return
	}
	t.m[name] = body
}

// aliasTable holds aliases, shared copy-on-write like functions.
type aliasTable struct {
	m    map[string]string
	refs atomic.Int32
}

func newAliasTable() *aliasTable {
	t := &aliasTable{m: map[string]string{}}
	t.refs.Store(1)
	return t
}

func (t *aliasTable) share() *aliasTable { t.refs.Add(1); return t }
func (t *aliasTable) release()           { t.refs.Add(-1) }

func (t *aliasTable) set(r *Runner, name, value string, remove bool) {
	if t.refs.Load() > 1 {
		n := newAliasTable()
		for k, v := range t.m {
			n.m[k] = v
		}
		t.release()
		r.aliases = n
		t = n
	}
	if remove {
		delete(t.m, name)
		return
	}
	t.m[name] = value
}

// callAlias runs a simple command whose first word is an alias: the
// alias's text replaces the word and the command is parsed again.
func (r *Runner) callAlias(c *syntax.CallExpr) int {
	var b strings.Builder
	first := c.Args[0].Lit()
	b.WriteString(r.aliases.m[first])
	rest := c.Args[1:]
	for _, w := range rest {
		b.WriteByte(' ')
		b.WriteString(printNode(w))
	}
	src := b.String()
	for _, as := range c.Assigns {
		src = printNode(as) + " " + src
	}
	r.aliasDepth++
	defer func() { r.aliasDepth-- }()
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
