module github.com/versioneer-tech/provider-datalab/functions/policy

go 1.26

require github.com/versioneer-tech/provider-datalab/pkg/datalab v0.0.0

replace github.com/versioneer-tech/provider-datalab/pkg/datalab => ../../pkg/datalab
