// Command spork is a Unix shell: `spork -c 'commands'`, `spork FILE`, or
// `spork` reading commands from standard input.

// The Go runtime would keep two cgroup files open (as descriptors 3 and 4)
// to follow the CPU quota for GOMAXPROCS; a shell leaves the descriptors a
// script can name (3 to 9) free, and needs no quota-sized GOMAXPROCS.
//
//go:debug containermaxprocs=0
//go:debug updatemaxprocs=0
package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/spork-sh/spork/shell"
)

const version = "0.1.0"

const usage = `usage: spork [-abBCeEfhilmnPsuvx] [-o option] [+o option] [-O shopt] [-c command [name [arg...]] | -s [arg...] | file [arg...]]
options:
  -c command   run command, then exit
  -s           read commands from standard input
  -i           force an interactive shell
  -l, --login  act as a login shell: read /etc/profile and ~/.profile first
  -o name      turn an option on (set -o lists them); +o turns it off
  --ballast SIZE  hold SIZE (512M, 4G, bytes) of resident memory, to compare launch modes
  --version    print the version
  --help       print this help
`

func main() {
	shell.HoldJobGroupIfAsked()
	os.Exit(run(os.Args[1:]))
}

type invocation struct {
	command     string
	hasCommand  bool
	stdin       bool
	interactive bool
	login       bool
	ballast     int64
	flags       []flagSetting
	args        []string
}

type flagSetting struct {
	letter byte
	name   string
	on     bool
	shopt  bool // -O name: a shopt option
}

func parseArgs(argv []string) (*invocation, error) {
	inv := &invocation{}
	i := 0
	for ; i < len(argv); i++ {
		a := argv[i]
		switch a {
		case "--version":
			fmt.Printf("spork %s\n", version)
			os.Exit(0)
		case "--help":
			fmt.Print(usage)
			os.Exit(0)
		case "--":
			i++
			inv.args = argv[i:]
			return inv, nil
		case "-", "+":
			i++
			inv.args = argv[i:]
			return inv, nil
		}
		if a == "--login" {
			inv.login = true
			continue
		}
		if a == "--ballast" || strings.HasPrefix(a, "--ballast=") {
			size, ok := strings.CutPrefix(a, "--ballast=")
			if !ok {
				if i+1 >= len(argv) {
					return nil, fmt.Errorf("--ballast: option requires an argument")
				}
				i++
				size = argv[i]
			}
			var err error
			if inv.ballast, err = parseSize(size); err != nil {
				return nil, err
			}
			continue
		}
		if len(a) < 2 || (a[0] != '-' && a[0] != '+') || (len(a) > 2 && a[1] == '-') {
			break
		}
		on := a[0] == '-'
		for j := 1; j < len(a); j++ {
			c := a[j]
			switch c {
			case 'c':
				inv.hasCommand = true // +c too, as in dash and bash
			case 's':
				inv.stdin = on
			case 'i':
				inv.interactive = on
			case 'l':
				inv.login = on
			case 'o':
				if i+1 >= len(argv) {
					return nil, fmt.Errorf("-o: option requires an argument")
				}
				i++
				inv.flags = append(inv.flags, flagSetting{name: argv[i], on: on})
			case 'O':
				if i+1 >= len(argv) {
					return nil, fmt.Errorf("-O: option requires an argument")
				}
				i++
				inv.flags = append(inv.flags, flagSetting{name: argv[i], on: on, shopt: true})
			default:
				inv.flags = append(inv.flags, flagSetting{letter: c, on: on})
			}
		}
	}
	rest := argv[i:]
	if inv.hasCommand {
		if len(rest) == 0 {
			return nil, fmt.Errorf("-c: option requires an argument")
		}
		inv.command = rest[0]
		rest = rest[1:]
	}
	inv.args = rest
	return inv, nil
}

func run(argv []string) int {
	inheritedFds, releaseUserFds := holdUserFds()
	defer releaseUserFds()
	inv, err := parseArgs(argv)
	if err != nil {
		fmt.Fprintf(os.Stderr, "spork: %v\n%s", err, usage)
		return 2
	}
	if err := holdBallast(inv.ballast); err != nil {
		fmt.Fprintf(os.Stderr, "spork: %v\n", err)
		return 2
	}
	o := shell.Options{Arg0: "spork", OwnsProcess: true}
	var script *os.File
	switch {
	case inv.hasCommand:
		if len(inv.args) > 0 {
			o.Arg0 = inv.args[0]
			o.Params = inv.args[1:]
		}
	case inv.stdin || len(inv.args) == 0:
		o.Params = inv.args
		if os.Getenv("SPORK_ARG0") != "" {
			o.Arg0 = os.Getenv("SPORK_ARG0")
		} else if len(os.Args) > 0 {
			o.Arg0 = os.Args[0]
		}
		o.Interactive = inv.interactive || (isTerminal(0) && isTerminal(2))
	default:
		name := inv.args[0]
		f, err := os.Open(name)
		if err != nil {
			fmt.Fprintf(os.Stderr, "spork: %s: %s\n", name, shell.ErrorText(err))
			return 127
		}
		script = f
		o.Arg0 = name
		o.Params = inv.args[1:]
		o.Script = name
	}
	if inv.interactive {
		o.Interactive = true
	}
	if len(os.Args) > 0 && strings.HasPrefix(os.Args[0], "-") {
		inv.login = true // started by login(1) or sshd as "-spork"
	}
	o.InheritedFds = inheritedFds
	r := shell.New(o)
	tuneGC(r.ForkLaunches)
	releaseUserFds()
	for _, f := range inv.flags {
		var err error
		if f.shopt {
			err = r.SetShopt(f.name, f.on)
		} else if f.name != "" {
			err = r.SetOption(f.name, f.on)
		} else {
			err = r.SetFlag(f.letter, f.on)
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "spork: %v\n", err)
			return 2
		}
	}
	if !o.Interactive || inv.hasCommand || script != nil { // else Interactive reads them
		if !r.ReadStartupFiles(inv.login) {
			return r.Exit(0)
		}
	}
	var status int
	switch {
	case inv.hasCommand:
		r.SetFlag('c', true)
		status = r.RunString(inv.command)
	case script != nil:
		status = r.RunFile(script)
	default:
		r.SetFlag('s', true)
		if o.Interactive {
			status = runInteractive(r, inv.login)
		} else {
			status = r.RunStdin()
		}
	}
	return r.Exit(status)
}

// runInteractive runs the interactive shell with line editing when
// standard input is a terminal, plain line reading otherwise, and puts
// the terminal back as it was found when the shell leaves.
func runInteractive(r *shell.Runner, login bool) int {
	var ed shell.LineEditor = plainEditor{}
	if isTerminal(0) {
		if le, err := newLineEditor(); err == nil {
			defer le.Close()
			ed = le
		}
	}
	return r.Interactive(shell.Session{Editor: ed, Login: login, Version: version})
}
