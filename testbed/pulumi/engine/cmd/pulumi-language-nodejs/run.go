package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/google/shlex"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/logging"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

const (
	// The Node.js entry point of @pulumi/pulumi that connects to the engine and runs the user's
	// program. PULUMI_LANGUAGE_NODEJS_RUN_PATH overrides it (upstream honours it too).
	defaultRunModule = "@pulumi/pulumi/cmd/run"

	// cmd/run exits with this code after it has already shown the user a good error message;
	// we then "bail" instead of adding a second, less useful one.
	exitCodeAlreadyReported = 32
)

func errNodeMissing(err error) error {
	return fmt.Errorf("could not find `node` on $PATH (install Node.js >= 18 and make sure `node` is on PATH): %w", err)
}

// Run executes the program: `node [nodeargs] <@pulumi/pulumi/cmd/run> <flags> <entry point> [args]`,
// with configuration in the environment. These are the flags and variables cmd/run of
// @pulumi/pulumi 3.248 reads (cmd/run/index.js, run.js, runtime/config.js).
//
// Unlike upstream we do not put a resource-monitor proxy and "--sync" pipes between node and
// the engine: those served synchronous invokes, which @pulumi/pulumi 3.248 no longer uses
// (tryGetSyncInvokes has no callers), so node talks to the engine's monitor directly.
func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	fail := func(err error) (*pulumirpc.RunResponse, error) {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	if err := h.cancelCtx.Err(); err != nil {
		return fail(errors.New("language host was cancelled"))
	}

	info := programInfo(req.GetInfo(), req.GetPwd(), req.GetProgram())
	opts, err := h.options(info.Options)
	if err != nil {
		return fail(err)
	}

	nodeBin, err := exec.LookPath("node")
	if err != nil {
		return fail(errNodeMissing(err))
	}
	runModule := os.Getenv("PULUMI_LANGUAGE_NODEJS_RUN_PATH")
	if runModule == "" {
		runModule = defaultRunModule
	}
	runPath, err := resolveModule(ctx, nodeBin, info.ProgramDirectory, runModule)
	if err != nil {
		return fail(err)
	}

	env, err := programEnv(req, opts)
	if err != nil {
		return fail(err)
	}
	nodeArgs, err := shlex.Split(opts.nodeargs)
	if err != nil {
		return fail(fmt.Errorf("runtime option nodeargs: %w", err))
	}
	args := append(nodeArgs, runPath)
	args = append(args, h.runFlags(req, info)...)

	logging.V(5).Infof("language host launching: %s %s", nodeBin, strings.Join(args, " "))
	return h.execNode(ctx, nodeBin, args, env), nil
}

// runFlags builds cmd/run's command line. cmd/run parses it with minimist(stopEarly), so all
// flags must come before the entry point; everything after it goes to the program as argv.
func (h *host) runFlags(req *pulumirpc.RunRequest, info *pulumirpc.ProgramInfo) []string {
	var flags []string
	add := func(name, value string) {
		if value != "" {
			flags = append(flags, "--"+name, value)
		}
	}
	add("monitor", req.GetMonitorAddress())
	add("engine", h.engine())
	add("organization", req.GetOrganization())
	add("project", req.GetProject())
	add("root-directory", info.RootDirectory)
	add("stack", req.GetStack())
	add("pwd", info.ProgramDirectory) // cmd/run chdirs here before loading the program
	if req.GetDryRun() {
		flags = append(flags, "--dry-run")
	}
	add("parallel", strconv.Itoa(int(req.GetParallel())))
	add("tracing", h.args.tracing)

	// The entry point is "." unless Pulumi.yaml sets `main`; for "." cmd/run itself honours
	// package.json "exports"/"main" and otherwise loads index.ts/index.js.
	entry := info.EntryPoint
	if entry == "" {
		entry = "."
	}
	flags = append(flags, entry)
	return append(flags, req.GetArgs()...)
}

// programEnv is our environment plus the configuration and TypeScript settings for cmd/run.
func programEnv(req *pulumirpc.RunRequest, opts runtimeOptions) ([]string, error) {
	// Config keys arrive as "<namespace>:<name>". Like upstream we hand them to node in the
	// older "<namespace>:config:<name>" form, which every @pulumi/pulumi version understands.
	cfg := make(map[string]string, len(req.GetConfig()))
	for k, v := range req.GetConfig() {
		key, err := config.ParseKey(k)
		if err != nil {
			return nil, err
		}
		cfg[key.Namespace()+":config:"+key.Name()] = v
	}
	cfgJSON, err := json.Marshal(cfg)
	if err != nil {
		return nil, err
	}
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secretJSON, err := json.Marshal(secretKeys)
	if err != nil {
		return nil, err
	}

	env := append(os.Environ(),
		"PULUMI_CONFIG="+string(cfgJSON),
		"PULUMI_CONFIG_SECRET_KEYS="+string(secretJSON),
	)
	if opts.typescript {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	if opts.tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+opts.tsconfig)
	}
	return env, nil
}

// resolveModule finds a module the way the program itself would (require.resolve from the
// program directory), so hoisted workspaces and pnpm layouts work too.
func resolveModule(ctx context.Context, nodeBin, dir, module string) (string, error) {
	script := fmt.Sprintf("try { console.log(require.resolve(%q)); } catch (e) { "+
		"console.error(e.code === 'MODULE_NOT_FOUND' ? 'MODULE_NOT_FOUND' : e.message); process.exit(1); }", module)
	cmd := exec.CommandContext(ctx, nodeBin, "-e", script)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		detail := err.Error()
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			detail = strings.TrimSpace(string(exitErr.Stderr))
		}
		if detail == "MODULE_NOT_FOUND" {
			return "", fmt.Errorf("could not find %s from %s: it looks like the Pulumi SDK (@pulumi/pulumi) "+
				"is not installed; run `npm install` (or `pulumi install`) in the project directory", module, dir)
		}
		return "", fmt.Errorf("could not resolve %s from %s: %s", module, dir, detail)
	}
	return strings.TrimSpace(string(out)), nil
}

// execNode runs node to completion and turns its exit status into a RunResponse.
func (h *host) execNode(ctx context.Context, nodeBin string, args, env []string) *pulumirpc.RunResponse {
	// Stop node when the engine gives up on the request or sends Cancel: SIGINT lets the
	// Pulumi SDK shut down cleanly; if it has not exited 5s later it is killed.
	cmdCtx, stop := context.WithCancel(h.cancelCtx)
	defer stop()
	context.AfterFunc(ctx, stop)
	cmd := exec.CommandContext(cmdCtx, nodeBin, args...)
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 5 * time.Second
	cmd.Env = env
	// Wrapped so exec gives node pipes rather than our own file descriptors: node may switch
	// its stdio to non-blocking mode, which would then break our own writes to stdout/stderr.
	cmd.Stdout = struct{ io.Writer }{os.Stdout}
	cmd.Stderr = struct{ io.Writer }{os.Stderr}

	err := cmd.Run()
	_ = os.Stdout.Sync()
	_ = os.Stderr.Sync()
	if err == nil {
		return &pulumirpc.RunResponse{}
	}
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		switch code := exitErr.ExitCode(); code {
		case exitCodeAlreadyReported:
			return &pulumirpc.RunResponse{Bail: true}
		case -1:
			return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program was terminated: %v", exitErr)}
		default:
			return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited with non-zero exit code: %d", code)}
		}
	}
	return &pulumirpc.RunResponse{Error: fmt.Sprintf("could not run node: %v", err)}
}
