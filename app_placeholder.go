package main

import (
	"context"
	"fmt"
	"os"
)

func runApp(ctx context.Context, args []string) int {
	fmt.Fprintln(os.Stderr, "tokentray: the tray app is not built yet")
	return 1
}
