package main

import "testing"

func TestParseArgsEngineFlags(t *testing.T) {
	// What the 3.248 engine sends with logging and tracing on (plugin.go buildPluginArguments).
	a := parseArgs([]string{"--logtostderr", "-v=9", "--tracing", "http://zipkin", "127.0.0.1:4242"})
	if a.engineAddress != "127.0.0.1:4242" || a.tracing != "http://zipkin" || !a.logToStderr || a.verbose != 9 {
		t.Fatalf("unexpected parse: %+v", a)
	}
}

func TestParseArgsRuntimeOptionsAndUnknownFlags(t *testing.T) {
	a := parseArgs([]string{
		"-root", "/p", "-typescript=false", "-tsconfig=tsconfig.x.json", "-nodeargs", "--max-old-space-size=512",
		"-packagemanager=npm", "-binary", "bin/x", "--some-new-flag", "-other=1", "localhost:1",
	})
	if a.engineAddress != "localhost:1" || a.root != "/p" || a.tsconfig != "tsconfig.x.json" ||
		a.nodeargs != "--max-old-space-size=512" || a.packagemanager != "npm" {
		t.Fatalf("unexpected parse: %+v", a)
	}
	if a.typescript == nil || *a.typescript {
		t.Fatalf("typescript should be false: %+v", a)
	}
}

func TestParseArgsNone(t *testing.T) {
	a := parseArgs(nil)
	if a.engineAddress != "" || a.typescript != nil {
		t.Fatalf("unexpected parse: %+v", a)
	}
}
