package main

import (
	"fmt"

	"google.golang.org/protobuf/types/known/structpb"

	"github.com/pulumi/pulumi/sdk/v3/nodejs/npm"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// runtimeOptions are the `runtime.options` of a nodejs Pulumi.yaml that this host understands.
type runtimeOptions struct {
	typescript     bool   // run .ts sources through the ts-node bundled with @pulumi/pulumi
	tsconfig       string // tsconfig path handed to ts-node (PULUMI_NODEJS_TSCONFIG_PATH)
	nodeargs       string // extra arguments for node, shell-quoted
	packagemanager npm.PackageManagerType
}

// options merges Pulumi.yaml's runtime options over the command-line defaults. The wrong type
// for an option is an error (rather than silently ignored) so that typos surface early.
func (h *host) options(opts *structpb.Struct) (runtimeOptions, error) {
	o := runtimeOptions{
		typescript:     true, // same default as upstream: TypeScript works without configuration
		tsconfig:       h.args.tsconfig,
		nodeargs:       h.args.nodeargs,
		packagemanager: npm.AutoPackageManager,
	}
	if h.args.typescript != nil {
		o.typescript = *h.args.typescript
	}
	if h.args.packagemanager != "" {
		o.packagemanager = npm.PackageManagerType(h.args.packagemanager)
	}

	m := opts.AsMap() // nil-safe
	if v, ok := m["typescript"]; ok {
		b, isBool := v.(bool)
		if !isBool {
			return o, fmt.Errorf("runtime option typescript must be a boolean, got %v", v)
		}
		o.typescript = b
	}
	for key, dst := range map[string]*string{"tsconfig": &o.tsconfig, "nodeargs": &o.nodeargs} {
		if v, ok := m[key]; ok {
			s, isString := v.(string)
			if !isString {
				return o, fmt.Errorf("runtime option %s must be a string, got %v", key, v)
			}
			*dst = s
		}
	}
	if v, ok := m["packagemanager"]; ok {
		s, isString := v.(string)
		if !isString {
			return o, fmt.Errorf("runtime option packagemanager must be a string, got %v", v)
		}
		o.packagemanager = npm.PackageManagerType(s)
	}
	switch o.packagemanager {
	case npm.AutoPackageManager, npm.NpmPackageManager, npm.YarnPackageManager,
		npm.PnpmPackageManager, npm.BunPackageManager:
	default:
		return o, fmt.Errorf("runtime option packagemanager must be one of auto, npm, yarn, pnpm or bun, got %q",
			o.packagemanager)
	}
	return o, nil
}

// programInfo returns the request's ProgramInfo, synthesising one from the deprecated
// pwd/program fields when talking to an engine that does not send it.
func programInfo(info *pulumirpc.ProgramInfo, pwd, program string) *pulumirpc.ProgramInfo {
	if info != nil && info.ProgramDirectory != "" {
		return info
	}
	dir := pwd
	if dir == "" {
		dir = "."
	}
	entry := program
	if entry == "" {
		entry = "."
	}
	return &pulumirpc.ProgramInfo{RootDirectory: dir, ProgramDirectory: dir, EntryPoint: entry}
}
