package main

import (
	"strconv"
	"strings"
)

const usage = `usage: pulumi-language-nodejs [flags] [engine-address]

Gatehouse's minimal Node.js language host. Started by the pulumi CLI, not by hand.

flags (single or double dash, "-f value" or "-f=value"; unknown flags are ignored):
  -tracing url        Zipkin-compatible tracing endpoint (passed on to the program)
  -root dir           project root (informational; the engine sends it per request too)
  -typescript=bool    default for the "typescript" runtime option (default true)
  -tsconfig path      default for the "tsconfig" runtime option
  -nodeargs args      default for the "nodeargs" runtime option
  -packagemanager pm  default for the "packagemanager" runtime option (auto|npm|yarn|pnpm|bun)
  -binary path        accepted for compatibility, ignored
  -v=N, -logtostderr, -logflow   logging, as for every Pulumi plugin
  -version            print the version and exit`

// hostArgs is what we take from the command line.
type hostArgs struct {
	engineAddress string
	tracing       string
	root          string
	logToStderr   bool
	logFlow       bool
	verbose       int
	showVersion   bool
	showHelp      bool

	// Command-line defaults for the runtime options; Pulumi.yaml `runtime.options` wins.
	typescript     *bool
	tsconfig       string
	nodeargs       string
	packagemanager string
}

// Flags that take a value. They may be written "-name value" as well as "-name=value".
var valueFlags = map[string]bool{
	"tracing": true, "root": true, "tsconfig": true, "nodeargs": true,
	"packagemanager": true, "binary": true, "runtime": true,
}

// parseArgs is a tolerant replacement for the flag package: the engine (and older or newer
// engines) may pass flags we do not know about, and the flag package would exit on those.
// Unknown flags are skipped; the first positional argument is the engine address.
func parseArgs(argv []string) hostArgs {
	var a hostArgs
	for i := 0; i < len(argv); i++ {
		arg := argv[i]
		if arg == "--" {
			if i+1 < len(argv) && a.engineAddress == "" {
				a.engineAddress = argv[i+1]
			}
			break
		}
		if !strings.HasPrefix(arg, "-") || arg == "-" {
			if a.engineAddress == "" {
				a.engineAddress = arg
			}
			continue
		}
		name := strings.TrimLeft(arg, "-")
		value, hasValue := "", false
		if eq := strings.IndexByte(name, '='); eq >= 0 {
			name, value, hasValue = name[:eq], name[eq+1:], true
		}
		if valueFlags[name] && !hasValue && i+1 < len(argv) {
			i++
			value, hasValue = argv[i], true
		}
		switch name {
		case "tracing":
			a.tracing = value
		case "root":
			a.root = value
		case "tsconfig":
			a.tsconfig = value
		case "nodeargs":
			a.nodeargs = value
		case "packagemanager":
			a.packagemanager = value
		case "typescript":
			b := !hasValue || parseBool(value, true)
			a.typescript = &b
		case "logtostderr":
			a.logToStderr = !hasValue || parseBool(value, true)
		case "logflow":
			a.logFlow = !hasValue || parseBool(value, true)
		case "v":
			if n, err := strconv.Atoi(value); err == nil {
				a.verbose = n
			}
		case "version":
			a.showVersion = true
		case "h", "help":
			a.showHelp = true
		}
	}
	return a
}

func parseBool(s string, fallback bool) bool {
	if b, err := strconv.ParseBool(s); err == nil {
		return b
	}
	return fallback
}
