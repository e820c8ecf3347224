package shell

import (
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"
)

// Prompts are rendered as bash renders them: first the backslash escapes
// of PS1 and PS2 are decoded (\u, \w, \$ ...), then the result undergoes
// parameter expansion, command substitution and arithmetic expansion.
// Values that the escapes insert are quoted so that the second step leaves
// them alone.
//
// The rendered prompt marks the spans between \[ and \] with
// PromptIgnoreStart and PromptIgnoreEnd (as GNU readline's
// RL_PROMPT_START_IGNORE and RL_PROMPT_END_IGNORE do) so that the line
// editor can leave their width out when it places the cursor.

// Markers around a non-printing span of a rendered prompt.
const (
	PromptIgnoreStart = '\x01'
	PromptIgnoreEnd   = '\x02'
)

// defaultPS1 is an interactive shell's primary prompt, bash's default:
// "spork-0.1$ ".
const defaultPS1 = `\s-\v\$ `

// renderPrompt decodes and expands the prompt held in variable name (PS1
// or PS2). $? and the other specials are not disturbed by command
// substitutions the prompt runs.
func (r *Runner) renderPrompt(name string) string {
	decoded := r.decodePrompt(r.getString(name), time.Now())
	status, cmdSt, had := r.lastStatus, r.cmdSubstSt, r.hadCmdSubst
	s, err := r.expandPrompt(decoded)
	r.lastStatus, r.cmdSubstSt, r.hadCmdSubst = status, cmdSt, had
	if r.ctl == ctlExit {
		// exit in a command substitution ends only that subshell
		r.ctl = ctlNone
	}
	if err != nil {
		r.errorf("%s: %s", name, err)
		return unquotePromptText(decoded)
	}
	return s
}

// expandPrompt performs the expansions of a decoded prompt.
func (r *Runner) expandPrompt(s string) (string, error) {
	if !strings.ContainsAny(s, "$`\\") {
		return s, nil
	}
	w, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Document(strings.NewReader(s))
	if err != nil {
		return "", err
	}
	return expand.Document(r.ecfg, w)
}

// unquotePromptText removes the backslashes decodePrompt added, for when
// the expansion failed.
func unquotePromptText(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && strings.IndexByte("$`\\", s[i+1]) >= 0 {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// quoteForPrompt protects the characters the expansion step would act on.
func quoteForPrompt(s string) string { return backslashChars(s, "$`\\") }

// decodePrompt replaces the backslash escapes of a prompt string. now is
// the time \t, \d and friends show.
func (r *Runner) decodePrompt(ps string, now time.Time) string {
	var b strings.Builder
	for i := 0; i < len(ps); i++ {
		c := ps[i]
		if c != '\\' || i+1 == len(ps) {
			b.WriteByte(c)
			continue
		}
		i++
		c = ps[i]
		switch c {
		case 'a':
			b.WriteByte('\a')
		case 'e':
			b.WriteByte('\033')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case '\\':
			b.WriteString(`\\`)
		case '[':
			b.WriteByte(PromptIgnoreStart)
		case ']':
			b.WriteByte(PromptIgnoreEnd)
		case '$':
			if os.Geteuid() == 0 {
				b.WriteByte('#')
			} else {
				b.WriteString(`\$`)
			}
		case 'd':
			b.WriteString(now.Format("Mon Jan 02"))
		case 'D':
			if i+1 < len(ps) && ps[i+1] == '{' {
				if end := strings.IndexByte(ps[i+2:], '}'); end >= 0 {
					f := ps[i+2 : i+2+end]
					if f == "" {
						f = "%X"
					}
					b.WriteString(quoteForPrompt(strftime(f, now)))
					i += 2 + end
					break
				}
			}
			b.WriteString(`\D`)
		case 't':
			b.WriteString(now.Format("15:04:05"))
		case 'T':
			b.WriteString(now.Format("03:04:05"))
		case '@':
			b.WriteString(now.Format("03:04 PM"))
		case 'A':
			b.WriteString(now.Format("15:04"))
		case 'h', 'H':
			h := hostName()
			if c == 'h' {
				h, _, _ = strings.Cut(h, ".")
			}
			b.WriteString(quoteForPrompt(h))
		case 'u':
			b.WriteString(quoteForPrompt(userName()))
		case 's':
			b.WriteString(quoteForPrompt(filepath.Base(r.arg0)))
		case 'v', 'V':
			v := r.sh.ia.version
			if c == 'v' {
				if parts := strings.SplitN(v, ".", 3); len(parts) == 3 {
					v = parts[0] + "." + parts[1]
				}
			}
			b.WriteString(quoteForPrompt(v))
		case 'w':
			b.WriteString(quoteForPrompt(r.promptDir(false)))
		case 'W':
			b.WriteString(quoteForPrompt(r.promptDir(true)))
		case 'j':
			b.WriteString(strconv.Itoa(len(r.jobs.all())))
		case 'l':
			b.WriteString(quoteForPrompt(ttyBaseName()))
		case '!':
			b.WriteString(strconv.Itoa(r.sh.ia.hist.nextNumber()))
		case '#':
			b.WriteString(strconv.Itoa(r.sh.ia.commandNumber))
		case '0', '1', '2', '3', '4', '5', '6', '7':
			n, j := 0, i
			for ; j < len(ps) && j < i+3 && ps[j] >= '0' && ps[j] <= '7'; j++ {
				n = n*8 + int(ps[j]-'0')
			}
			i = j - 1
			switch ch := byte(n); ch {
			case '$', '`', '\\':
				b.WriteByte('\\')
				b.WriteByte(ch)
			default:
				b.WriteByte(ch)
			}
		default:
			b.WriteByte('\\')
			b.WriteByte(c)
		}
	}
	return b.String()
}

// tildeDir abbreviates a leading $HOME to ~, as \w and dirs show a
// directory.
func (r *Runner) tildeDir(d string) string {
	home := strings.TrimSuffix(r.getString("HOME"), "/")
	if home != "" && (d == home || strings.HasPrefix(d, home+"/")) {
		return "~" + d[len(home):]
	}
	return d
}

// promptDir is the working directory as \w shows it ($HOME abbreviated to
// ~, trimmed to $PROMPT_DIRTRIM components) or, with base, as \W shows it.
func (r *Runner) promptDir(base bool) string {
	dir := r.getString("PWD")
	if dir == "" {
		dir = r.dir
	}
	dir = r.tildeDir(dir)
	if base {
		if dir == "~" || dir == "/" {
			return dir
		}
		return filepath.Base(dir)
	}
	if n, err := strconv.Atoi(r.getString("PROMPT_DIRTRIM")); err == nil && n > 0 {
		prefix, rest := "", dir
		if strings.HasPrefix(dir, "~/") {
			prefix, rest = "~", dir[1:]
		}
		parts := strings.Split(strings.TrimPrefix(rest, "/"), "/")
		if len(parts) > n {
			dir = prefix + "/.../" + strings.Join(parts[len(parts)-n:], "/")
		}
	}
	return dir
}

var (
	identityOnce sync.Once
	hostNameVal  string
	userNameVal  string
)

func loadIdentity() {
	hostNameVal, _ = os.Hostname()
	if u, err := user.Current(); err == nil {
		userNameVal = u.Username
	} else {
		userNameVal = strconv.Itoa(os.Getuid())
	}
}

// hostName is the machine's name, as \H shows it.
func hostName() string {
	identityOnce.Do(loadIdentity)
	return hostNameVal
}

// userName is the name of the user running the shell, as \u shows it.
func userName() string {
	identityOnce.Do(loadIdentity)
	return userNameVal
}

// ttyBaseName is the base name of the terminal on standard input (\l).
func ttyBaseName() string {
	for _, fd := range []string{"/proc/self/fd/0", "/proc/self/fd/2"} {
		if p, err := os.Readlink(fd); err == nil && strings.HasPrefix(p, "/dev/") {
			return filepath.Base(p)
		}
	}
	return "tty"
}
