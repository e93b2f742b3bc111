package step

import (
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

func str(m map[string]any, path ...string) string {
	v, _, _ := unstructured.NestedString(m, path...)
	return v
}
