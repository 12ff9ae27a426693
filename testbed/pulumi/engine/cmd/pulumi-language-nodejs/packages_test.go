package main

import (
	"os"
	"path/filepath"
	"testing"
)

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestScanPackages(t *testing.T) {
	dir := t.TempDir()
	// The project's own package.json is not in node_modules and must be ignored.
	writeFile(t, filepath.Join(dir, "package.json"), `{"name":"p","pulumi":{"resource":true,"name":"nope"}}`)
	writeFile(t, filepath.Join(dir, "node_modules/@pulumi/pulumi/package.json"), `{"name":"@pulumi/pulumi","version":"3.248.0"}`)
	writeFile(t, filepath.Join(dir, "node_modules/@pulumi/random/package.json"),
		`{"name":"@pulumi/random","version":"4.18.0","pulumi":{"resource":true}}`)
	writeFile(t, filepath.Join(dir, "node_modules/pg-stand-in/package.json"),
		`{"name":"pg-stand-in","version":"1.0.0","pulumi":{"resource":true,"name":"postgresql","version":"3.1.0","server":"https://example.invalid"}}`)
	// A nested copy of the same plugin is reported once.
	writeFile(t, filepath.Join(dir, "node_modules/x/node_modules/@pulumi/random/package.json"),
		`{"name":"@pulumi/random","version":"4.18.0","pulumi":{"resource":true}}`)

	deps, err := scanPackages(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(deps) != 2 {
		t.Fatalf("want 2 packages, got %v", deps)
	}
	if deps[0].Name != "postgresql" || deps[0].Version != "v3.1.0" || deps[0].Server != "https://example.invalid" {
		t.Fatalf("bad postgresql entry: %v", deps[0])
	}
	if deps[1].Name != "random" || deps[1].Version != "v4.18.0" || deps[1].Kind != "resource" {
		t.Fatalf("bad random entry: %v", deps[1])
	}
}

func TestScanPackagesThirdPartyWithoutName(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "node_modules/acme/package.json"),
		`{"name":"acme","version":"1.0.0","pulumi":{"resource":true}}`)
	deps, err := scanPackages(dir)
	if err == nil || len(deps) != 0 {
		t.Fatalf("want an error and no packages, got %v, %v", deps, err)
	}
}
