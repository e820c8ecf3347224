package shell

import (
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// debugDue returns the DEBUG trap's command when one is set and no trap
// is running. Callers build $BASH_COMMAND's text only then: a script
// with only an EXIT trap pays no more than the map lookup per command.
func (r *Runner) debugDue() (string, bool) {
	if len(r.traps.cmds) == 0 || r.inTrap {
		return "", false
	}
	cmd, ok := r.traps.cmds[trapDEBUG]
	return cmd, ok && cmd != ""
}

// runDebugTrap runs cmd, the DEBUG trap, before a command, as bash does:
// before each simple command, each round of a for loop, and a case, (( ))
// or [[ ]] command, with $BASH_COMMAND the command to come (text, or the
// statement's own text if text is ""). $? in the trap and after it is the
// previous command's status.
func (r *Runner) runDebugTrap(cmd, text string) {
	r.debugText = text
	r.runTrap(cmd)
	r.debugText = ""
}

// debugPoint reports whether bash runs the DEBUG trap before cmd (a for
// loop has its own, before each round).
func debugPoint(cmd syntax.Command) bool {
	switch cmd.(type) {
	case *syntax.CallExpr, *syntax.DeclClause, *syntax.LetClause, *syntax.ArithmCmd,
		*syntax.TestClause, *syntax.CaseClause:
		return true
	}
	return false
}

// debugText is $BASH_COMMAND in the DEBUG trap before cmd, where bash's
// text differs from the printed statement: a case command by its head.
func debugText(cmd syntax.Command) string {
	switch c := cmd.(type) {
	case *syntax.CaseClause:
		return "case " + printNode(c.Word) + " in "
	case *syntax.ArithmCmd:
		return "(( " + compactArith(c.X) + " ))"
	}
	return ""
}

// forHeader is a for loop's head, "for name in words", as the DEBUG trap's
// $BASH_COMMAND shows it.
func forHeader(l *syntax.WordIter) string {
	var b strings.Builder
	b.WriteString("for " + l.Name.Value)
	if l.InPos.IsValid() {
		b.WriteString(" in")
		for _, w := range l.Items {
			b.WriteString(" " + printNode(w))
		}
	}
	return b.String()
}
