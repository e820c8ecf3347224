package shell

import (
	"os"
	"path/filepath"
	"testing"
)

func TestCdPwd(t *testing.T) {
	dir, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(dir, "real/sub"), 0o755)
	os.Symlink("real/sub", filepath.Join(dir, "s"))
	os.WriteFile(filepath.Join(dir, "file"), nil, 0o644)
	wd, _ := os.Getwd()
	cases := []struct {
		src, want string
		status    int
	}{
		{`cd s; pwd; pwd -P; cd ..; pwd`, dir + "/s\n" + dir + "/real/sub\n" + dir + "\n", 0},
		{`cd real; cd -; echo "$PWD $OLDPWD"`, dir + "\n" + dir + " " + dir + "/real\n", 0},
		{`cd -P s; pwd; echo "$PWD"`, dir + "/real/sub\n" + dir + "/real/sub\n", 0},
		{`cd /nope`, "", 1},
		{`cd file`, "", 1},
		{`cd a b`, "", 1},
		{`cd ./real/./sub/; pwd; cd ../..//real; pwd`, dir + "/real/sub\n" + dir + "/real\n", 0},
		{`HOME=` + dir + `/real; cd; pwd`, dir + "/real\n", 0},
		{`unset HOME; cd`, "", 1},
		{`CDPATH=` + dir + `/real; cd sub; echo $?`, dir + "/real/sub\n0\n", 0},
		{`cd real; ls -d sub`, "sub\n", 0},
	}
	for _, c := range cases {
		r := New(Options{})
		r.dir = dir
		r.setString("PWD", dir)
		out, errOut, st := runIn(t, r, c.src, "")
		if out != c.want || st != c.status {
			t.Errorf("%q: got %q status %d (stderr %q), want %q status %d", c.src, out, st, errOut, c.want, c.status)
		}
	}
	if now, _ := os.Getwd(); now != wd {
		t.Errorf("cd changed the process's directory to %s", now)
	}
	checkErr(t, `cd /nope`, "cd: /nope: No such file or directory")
}
