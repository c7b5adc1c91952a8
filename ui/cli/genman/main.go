// Command genman writes the manual page tokentray(1) on stdout, from the
// command table and README.md (cli.ManPage). .ci/package runs it:
//
//	go run ./ui/cli/genman -version 0.1.0 README.md > tokentray.1
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/tokentray/tokentray/ui/cli"
)

func main() {
	version := flag.String("version", "devel", "the version named in the page's footer")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: genman [-version V] README.md")
		os.Exit(2)
	}
	readme, err := os.ReadFile(flag.Arg(0))
	if err == nil {
		var page string
		if page, err = cli.ManPage(string(readme), *version); err == nil {
			_, err = os.Stdout.WriteString(page)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "genman:", err)
		os.Exit(1)
	}
}
