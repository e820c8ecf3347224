package shell

import (
	"os"
	"path/filepath"
)

// Start-up files. A login shell (spork -l, --login, or started with a
// name beginning with "-") reads /etc/profile, then ~/.profile. An
// interactive shell then reads the file named by $ENV (after parameter
// expansion, command substitution and arithmetic expansion), or
// ~/.sporkrc when ENV is unset. Missing files are skipped silently.

// ReadLoginFiles runs a login shell's start-up files.
func (r *Runner) ReadLoginFiles() {
	r.sourceStartupFile("/etc/profile")
	if r.ctl == ctlExit {
		return
	}
	if home := r.getString("HOME"); home != "" {
		r.sourceStartupFile(filepath.Join(home, ".profile"))
	}
}

// ReadStartupFiles runs the start-up files of a shell that runs a command
// string or a script instead of [Runner.Interactive]'s loop: a login
// shell's (spork -l -c ...), then, when the shell is interactive (spork -i
// -c ...), the file named by $ENV or ~/.sporkrc. It returns false when one
// of them ran exit: the shell must then end, with the status [Runner.Exit]
// returns.
func (r *Runner) ReadStartupFiles(login bool) bool {
	if login {
		r.ReadLoginFiles()
	}
	if r.ctl != ctlExit && r.opts.interactive {
		r.readRCFile()
	}
	if r.ctl == ctlExit {
		return false
	}
	r.ctl = ctlNone
	return true
}

// readRCFile runs an interactive shell's start-up file.
func (r *Runner) readRCFile() {
	v := r.Get("ENV")
	if !v.IsSet() {
		if home := r.getString("HOME"); home != "" {
			r.sourceStartupFile(filepath.Join(home, ".sporkrc"))
		}
		return
	}
	name, err := r.expandPrompt(v.String())
	if err != nil {
		r.errorf("ENV: %s", err)
		return
	}
	if name != "" {
		r.sourceStartupFile(name)
	}
}

// sourceStartupFile runs a file in the shell, as . does, if it exists.
func (r *Runner) sourceStartupFile(path string) {
	data, err := os.ReadFile(r.abs(path))
	if err != nil {
		if !os.IsNotExist(err) {
			r.errorf("%s: %s", path, ErrorText(err))
		}
		return
	}
	saved := r.sh.Script
	r.sh.Script = path
	r.runSource(string(data), path)
	r.sh.Script = saved
	if r.ctl == ctlReturn || r.ctl == ctlBreak || r.ctl == ctlContinue {
		r.ctl = ctlNone
	}
}
