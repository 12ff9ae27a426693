package main

import (
	"context"
	"os/exec"
	"strings"
	"sync"

	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/logging"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	"github.com/pulumi/pulumi/sdk/v3/nodejs/npm"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// host implements pulumirpc.LanguageRuntimeServer. Methods we do not need (code generation,
// packing, linking, running plugins written in TypeScript) fall through to the embedded
// Unimplemented server, which answers codes.Unimplemented; the engine copes with that.
type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	args hostArgs

	mu            sync.Mutex
	engineAddress string // from argv, or from Handshake when the engine attaches to us

	// cancelled by the Cancel RPC; every node process we start is tied to it.
	cancelCtx  context.Context
	cancelFunc context.CancelFunc
}

func newHost(args hostArgs) *host {
	ctx, cancel := context.WithCancel(context.Background())
	return &host{args: args, engineAddress: args.engineAddress, cancelCtx: ctx, cancelFunc: cancel}
}

func (h *host) engine() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.engineAddress
}

// Handshake is only sent when the engine attaches to an already-running host
// (PULUMI_DEBUG_LANGUAGES); it tells us the engine's address.
func (h *host) Handshake(ctx context.Context,
	req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	h.mu.Lock()
	h.engineAddress = req.EngineAddress
	h.mu.Unlock()
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *host) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version.Version}, nil
}

// Cancel stops any program we are running (SIGINT first, see run.go) and makes later runs fail.
func (h *host) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	h.cancelFunc()
	return &emptypb.Empty{}, nil
}

// About backs `pulumi about`: which node and which package manager a program would use.
func (h *host) About(ctx context.Context, req *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	resp := &pulumirpc.AboutResponse{Metadata: map[string]string{}}
	nodeBin, err := exec.LookPath("node")
	if err != nil {
		return nil, errNodeMissing(err)
	}
	resp.Executable = nodeBin
	if out, err := exec.CommandContext(ctx, nodeBin, "--version").Output(); err == nil {
		resp.Version = strings.TrimSpace(string(out))
	}

	info := programInfo(req.GetInfo(), ".", "")
	opts, err := h.options(info.Options)
	if err != nil {
		return nil, err
	}
	if pm, err := npm.ResolvePackageManager(opts.packagemanager, info.ProgramDirectory); err == nil {
		resp.Metadata["packagemanager"] = pm.Name()
		if v, err := pm.Version(); err == nil {
			resp.Metadata["packagemanagerVersion"] = v.String()
		}
	} else {
		logging.V(5).Infof("about: could not resolve package manager: %v", err)
	}
	return resp, nil
}

// RuntimeOptionsPrompts and Template are used by `pulumi new`; we have nothing to ask or rewrite.
func (h *host) RuntimeOptionsPrompts(context.Context,
	*pulumirpc.RuntimeOptionsRequest,
) (*pulumirpc.RuntimeOptionsResponse, error) {
	return &pulumirpc.RuntimeOptionsResponse{}, nil
}

func (h *host) Template(context.Context, *pulumirpc.TemplateRequest) (*pulumirpc.TemplateResponse, error) {
	return &pulumirpc.TemplateResponse{}, nil
}

// InstallDependencies backs `pulumi install` (and the engine's automatic install): run the
// project's package manager in the program directory (or its npm/yarn workspace root),
// streaming its output back to the engine.
func (h *host) InstallDependencies(req *pulumirpc.InstallDependenciesRequest,
	server pulumirpc.LanguageRuntime_InstallDependenciesServer,
) error {
	closer, stdout, stderr, err := rpcutil.MakeInstallDependenciesStreams(server, req.IsTerminal)
	if err != nil {
		return err
	}
	defer closer.Close()

	info := programInfo(req.GetInfo(), req.GetDirectory(), "")
	opts, err := h.options(info.Options)
	if err != nil {
		return err
	}
	dir := info.ProgramDirectory
	if root, err := npm.FindWorkspaceRoot(dir); err == nil {
		dir = root
	}
	_, _ = stdout.Write([]byte("Installing dependencies...\n\n"))
	if _, err := npm.Install(server.Context(), opts.packagemanager, dir, false /*production*/, stdout, stderr); err != nil {
		return err
	}
	_, _ = stdout.Write([]byte("Finished installing dependencies\n\n"))
	return closer.Close()
}
