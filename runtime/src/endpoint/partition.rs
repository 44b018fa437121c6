//! AWS partitions for the `aws.partition` rules function.
//!
//! The facts (partition ids, region names, region patterns, DNS suffixes and capabilities)
//! are those AWS publishes for its SDKs in `partitions.json`; the table is our own code.
//! Lookup: a region listed by a partition, else the first partition whose `region_regex`
//! matches, else the `aws` partition.

use super::pattern;

/// One AWS partition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Partition {
    /// The partition's id (`aws`, `aws-cn`, …).
    pub id: &'static str,
    /// The pattern of region names that belong to the partition.
    pub region_regex: &'static str,
    /// The region names the partition lists.
    pub regions: &'static [&'static str],
    /// What `aws.partition` returns for the partition.
    pub outputs: PartitionOutputs,
}

/// The attributes of a partition visible to endpoint rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartitionOutputs {
    /// `name`: the partition id.
    pub name: &'static str,
    /// `dnsSuffix`: the default DNS suffix.
    pub dns_suffix: &'static str,
    /// `dualStackDnsSuffix`: the DNS suffix of dual-stack (IPv4 and IPv6) endpoints.
    pub dual_stack_dns_suffix: &'static str,
    /// `supportsFIPS`: whether FIPS endpoints exist.
    pub supports_fips: bool,
    /// `supportsDualStack`: whether dual-stack endpoints exist.
    pub supports_dual_stack: bool,
    /// `implicitGlobalRegion`: the region global services sign for.
    pub implicit_global_region: &'static str,
}

/// Every known partition, `aws` first.
pub static PARTITIONS: &[Partition] = &[
    Partition {
        id: "aws",
        region_regex: r"^(us|eu|ap|sa|ca|me|af|il|mx)\-\w+\-\d+$",
        regions: &[
            "af-south-1",
            "ap-east-1",
            "ap-northeast-1",
            "ap-northeast-2",
            "ap-northeast-3",
            "ap-south-1",
            "ap-south-2",
            "ap-southeast-1",
            "ap-southeast-2",
            "ap-southeast-3",
            "ap-southeast-4",
            "ap-southeast-5",
            "ap-southeast-7",
            "aws-global",
            "ca-central-1",
            "ca-west-1",
            "eu-central-1",
            "eu-central-2",
            "eu-north-1",
            "eu-south-1",
            "eu-south-2",
            "eu-west-1",
            "eu-west-2",
            "eu-west-3",
            "il-central-1",
            "me-central-1",
            "me-south-1",
            "mx-central-1",
            "sa-east-1",
            "us-east-1",
            "us-east-2",
            "us-west-1",
            "us-west-2",
        ],
        outputs: PartitionOutputs {
            name: "aws",
            dns_suffix: "amazonaws.com",
            dual_stack_dns_suffix: "api.aws",
            supports_fips: true,
            supports_dual_stack: true,
            implicit_global_region: "us-east-1",
        },
    },
    Partition {
        id: "aws-cn",
        region_regex: r"^cn\-\w+\-\d+$",
        regions: &["aws-cn-global", "cn-north-1", "cn-northwest-1"],
        outputs: PartitionOutputs {
            name: "aws-cn",
            dns_suffix: "amazonaws.com.cn",
            dual_stack_dns_suffix: "api.amazonwebservices.com.cn",
            supports_fips: true,
            supports_dual_stack: true,
            implicit_global_region: "cn-northwest-1",
        },
    },
    Partition {
        id: "aws-us-gov",
        region_regex: r"^us\-gov\-\w+\-\d+$",
        regions: &["aws-us-gov-global", "us-gov-east-1", "us-gov-west-1"],
        outputs: PartitionOutputs {
            name: "aws-us-gov",
            dns_suffix: "amazonaws.com",
            dual_stack_dns_suffix: "api.aws",
            supports_fips: true,
            supports_dual_stack: true,
            implicit_global_region: "us-gov-west-1",
        },
    },
    Partition {
        id: "aws-iso",
        region_regex: r"^us\-iso\-\w+\-\d+$",
        regions: &["aws-iso-global", "us-iso-east-1", "us-iso-west-1"],
        outputs: PartitionOutputs {
            name: "aws-iso",
            dns_suffix: "c2s.ic.gov",
            dual_stack_dns_suffix: "c2s.ic.gov",
            supports_fips: true,
            supports_dual_stack: false,
            implicit_global_region: "us-iso-east-1",
        },
    },
    Partition {
        id: "aws-iso-b",
        region_regex: r"^us\-isob\-\w+\-\d+$",
        regions: &["aws-iso-b-global", "us-isob-east-1"],
        outputs: PartitionOutputs {
            name: "aws-iso-b",
            dns_suffix: "sc2s.sgov.gov",
            dual_stack_dns_suffix: "sc2s.sgov.gov",
            supports_fips: true,
            supports_dual_stack: false,
            implicit_global_region: "us-isob-east-1",
        },
    },
    Partition {
        id: "aws-iso-e",
        region_regex: r"^eu\-isoe\-\w+\-\d+$",
        regions: &["aws-iso-e-global", "eu-isoe-west-1"],
        outputs: PartitionOutputs {
            name: "aws-iso-e",
            dns_suffix: "cloud.adc-e.uk",
            dual_stack_dns_suffix: "cloud.adc-e.uk",
            supports_fips: true,
            supports_dual_stack: false,
            implicit_global_region: "eu-isoe-west-1",
        },
    },
    Partition {
        id: "aws-iso-f",
        region_regex: r"^us\-isof\-\w+\-\d+$",
        regions: &["aws-iso-f-global", "us-isof-east-1", "us-isof-south-1"],
        outputs: PartitionOutputs {
            name: "aws-iso-f",
            dns_suffix: "csp.hci.ic.gov",
            dual_stack_dns_suffix: "csp.hci.ic.gov",
            supports_fips: true,
            supports_dual_stack: false,
            implicit_global_region: "us-isof-south-1",
        },
    },
    Partition {
        id: "aws-eusc",
        region_regex: r"^eusc\-(de)\-\w+\-\d+$",
        regions: &["eusc-de-east-1"],
        outputs: PartitionOutputs {
            name: "aws-eusc",
            dns_suffix: "amazonaws.eu",
            dual_stack_dns_suffix: "amazonaws.eu",
            supports_fips: true,
            supports_dual_stack: false,
            implicit_global_region: "eusc-de-east-1",
        },
    },
];

/// The partition of `region`: the one listing it, else the first whose pattern matches it,
/// else `aws`.
///
/// ```
/// use aws_lite_runtime::endpoint::partition::partition_for_region;
///
/// assert_eq!(partition_for_region("cn-north-1").id, "aws-cn");
/// assert_eq!(partition_for_region("us-gov-central-7").id, "aws-us-gov");
/// assert_eq!(partition_for_region("mars-east-1").id, "aws");
/// ```
pub fn partition_for_region(region: &str) -> &'static Partition {
    PARTITIONS
        .iter()
        .find(|p| p.regions.contains(&region))
        .or_else(|| {
            PARTITIONS
                .iter()
                .find(|p| pattern::is_match(p.region_regex, region))
        })
        .unwrap_or(&PARTITIONS[0])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_region_is_in_its_partition_and_matches_a_pattern_or_is_global() {
        for p in PARTITIONS {
            for r in p.regions {
                assert_eq!(partition_for_region(r).id, p.id, "{r}");
                if !r.ends_with("-global") {
                    assert!(pattern::is_match(p.region_regex, r), "{r}");
                }
            }
            assert_eq!(p.id, p.outputs.name);
        }
    }

    #[test]
    fn lookup_order() {
        assert_eq!(partition_for_region("us-east-1").id, "aws");
        assert_eq!(partition_for_region("us-west-9").id, "aws");
        assert_eq!(partition_for_region("cn-south-3").id, "aws-cn");
        assert_eq!(partition_for_region("us-gov-east-1").id, "aws-us-gov");
        assert_eq!(partition_for_region("us-iso-north-2").id, "aws-iso");
        assert_eq!(partition_for_region("us-isob-west-1").id, "aws-iso-b");
        assert_eq!(partition_for_region("eu-isoe-north-1").id, "aws-iso-e");
        assert_eq!(partition_for_region("us-isof-west-1").id, "aws-iso-f");
        assert_eq!(partition_for_region("eusc-de-west-1").id, "aws-eusc");
        assert_eq!(partition_for_region("aws-iso-b-global").id, "aws-iso-b");
        assert_eq!(partition_for_region("").id, "aws");
        assert_eq!(partition_for_region("eusc-fr-east-1").id, "aws");
        assert_eq!(partition_for_region("local").id, "aws");
    }
}
