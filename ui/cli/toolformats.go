package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/ui/shellquote"
)

// Kubernetes client authentication API versions an exec plugin may answer in.
const (
	execCredentialV1      = "client.authentication.k8s.io/v1"
	execCredentialV1beta1 = "client.authentication.k8s.io/v1beta1"
)

// isToolFormat reports whether format is one of the outputs for other tools.
func isToolFormat(format string) bool {
	return format == "env" || format == "exec-credential"
}

// writeToolFormat writes t for another tool: "env" as shell export lines for
// eval, "exec-credential" as a Kubernetes ExecCredential for kubectl's exec
// plugin mechanism. Both mean a Bearer token, so other types are refused.
func writeToolFormat(w io.Writer, t *tokens.Token, format string) error {
	if err := requireBearer(t); err != nil {
		return err
	}
	switch format {
	case "env":
		_, err := fmt.Fprintf(w, "export %s=%s\nexport %s=%s\n",
			DefaultTokenVar, shellquote.Quote(t.AccessToken),
			EnvExpiresAt, shellquote.Quote(t.ExpiresAt.UTC().Format(time.RFC3339)))
		return err
	case "exec-credential":
		return writeExecCredential(w, t, os.Getenv("KUBERNETES_EXEC_INFO"))
	}
	return fmt.Errorf("unknown format %q", format)
}

// execCredential is client.authentication.k8s.io/v1 (and v1beta1) ExecCredential.
type execCredential struct {
	APIVersion string               `json:"apiVersion"`
	Kind       string               `json:"kind"`
	Status     execCredentialStatus `json:"status"`
}

type execCredentialStatus struct {
	Token               string `json:"token"`
	ExpirationTimestamp string `json:"expirationTimestamp"`
}

// writeExecCredential answers in the API version kubectl asked for in
// $KUBERNETES_EXEC_INFO (the exec config's apiVersion), v1 when it says none:
// a kubeconfig written for an older kubectl (v1beta1) works as well.
func writeExecCredential(w io.Writer, t *tokens.Token, execInfo string) error {
	version := execCredentialV1
	var info struct {
		APIVersion string `json:"apiVersion"`
	}
	if execInfo != "" && json.Unmarshal([]byte(execInfo), &info) == nil && info.APIVersion == execCredentialV1beta1 {
		version = execCredentialV1beta1
	}
	enc := json.NewEncoder(w)
	return enc.Encode(execCredential{
		APIVersion: version,
		Kind:       "ExecCredential",
		Status: execCredentialStatus{
			Token:               t.AccessToken,
			ExpirationTimestamp: t.ExpiresAt.UTC().Format(time.RFC3339),
		},
	})
}
