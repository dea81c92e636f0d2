#include "cost/generate_products.h"

#include <array>

namespace plinth::cost::gen {
namespace {

constexpr int64_t kUsd = 10'000'000'000;  // 1 USD in 1e-10 units

// Indexed by CloudProduct. List prices are public on-demand prices of about 2025 (Frankfurt).
constexpr std::array<ProductInfo, 20> kProducts = {{
    {"Amazon Elastic Compute Cloud", "Compute", "Virtual Machines", "Instance", "Hours",
     "m6i.xlarge", "BoxUsage:m6i.xlarge", kUsd * 23 / 100,
     "{price} per On Demand Linux m6i.xlarge Instance Hour", "arn:aws:ec2:{r}:{a}:instance/i-0{h}",
     true, true, true, true},
    {"Amazon Elastic Compute Cloud", "Compute", "Virtual Machines", "Instance", "Hours",
     "p3.2xlarge", "BoxUsage:p3.2xlarge", kUsd * 306 / 100,
     "{price} per On Demand Linux p3.2xlarge Instance Hour", "arn:aws:ec2:{r}:{a}:instance/i-0{h}",
     true, true, false, true},
    {"Amazon Elastic Compute Cloud", "Storage", "Block Storage", "Volume", "GB-Mo", "gp3",
     "EBS:VolumeUsage.gp3", kUsd * 952 / 10000,
     "{price} per GB-month of General Purpose (gp3) provisioned storage",
     "arn:aws:ec2:{r}:{a}:volume/vol-0{h}", false, false, false, true},
    {"Amazon Simple Storage Service", "Storage", "Object Storage", "Bucket", "GB-Mo", "STANDARD",
     "TimedStorage-ByteHrs", kUsd * 245 / 10000,
     "{price} per GB - first 50 TB / month of storage used", "arn:aws:s3:::{n}-{h}", false, false,
     false, true},
    {"Amazon Relational Database Service", "Databases", "Relational", "DB Instance", "Hours",
     "db.r6g.xlarge", "InstanceUsage:db.r6g.xlarge", kUsd * 552 / 1000,
     "{price} per RDS db.r6g.xlarge instance hour (or partial hour) running PostgreSQL",
     "arn:aws:rds:{r}:{a}:db:{n}", false, false, false, true},
    {"Amazon DynamoDB", "Databases", "NoSQL", "Table", "WriteRequestUnits", "", "WriteRequestUnits",
     kUsd * 1525 / 1000000000, "{price} per write request unit",
     "arn:aws:dynamodb:{r}:{a}:table/{n}", true, false, false, true},
    {"Amazon ElastiCache", "Databases", "Caching", "Cache Cluster", "Hours", "cache.r6g.large",
     "NodeUsage:cache.r6g.large", kUsd * 251 / 1000,
     "{price} per Cache Node Hour for cache.r6g.large", "arn:aws:elasticache:{r}:{a}:cluster:{n}",
     false, false, false, true},
    {"AWS Lambda", "Compute", "Serverless Compute", "Function", "Lambda-GB-Second", "",
     "Lambda-GB-Second", 166667, "{price} per GB-second of compute",
     "arn:aws:lambda:{r}:{a}:function:{n}", true, true, false, true},
    {"Elastic Load Balancing", "Networking", "Load Balancing", "Load Balancer", "LCU-Hrs", "",
     "LCUUsage", kUsd * 8 / 1000,
     "{price} per used Application load balancer capacity unit-hour (or partial hour)",
     "arn:aws:elasticloadbalancing:{r}:{a}:loadbalancer/app/{n}/{h}", true, false, false, true},
    {"Amazon Virtual Private Cloud", "Networking", "Other (Networking)", "NAT Gateway", "GB", "",
     "NatGateway-Bytes", kUsd * 52 / 1000, "{price} per GB Data Processed by NAT Gateways",
     "arn:aws:ec2:{r}:{a}:natgateway/nat-0{h}", true, false, false, true},
    {"Amazon Virtual Private Cloud", "Networking", "Network Management",
     "Transit Gateway Attachment", "Hours", "", "TransitGateway-Hours", kUsd * 7 / 100,
     "{price} per Transit Gateway attachment-hour",
     "arn:aws:ec2:{r}:{a}:transit-gateway-attachment/tgw-attach-0{h}", false, false, false, true},
    {"Amazon CloudFront", "Networking", "Content Delivery", "Distribution", "GB", "",
     "DataTransfer-Out-Bytes", kUsd * 85 / 1000,
     "{price} per GB - first 10 TB / month data transfer out",
     "arn:aws:cloudfront::{a}:distribution/E{H}", true, false, false, false},
    {"Amazon Route 53", "Networking", "Other (Networking)", "Hosted Zone", "Queries", "",
     "DNS-Queries", 4000, "{price} per query for the first 1 billion queries / month",
     "arn:aws:route53:::hostedzone/Z{H}", true, false, false, false},
    {"AmazonCloudWatch", "Management and Governance", "Observability", "Log Group", "GB", "",
     "DataProcessing-Bytes", kUsd * 63 / 100, "{price} per GB custom log data ingested",
     "arn:aws:logs:{r}:{a}:log-group:/aws/ecs/{n}", true, false, false, true},
    {"Amazon Simple Queue Service", "Integration", "Messaging", "Queue", "Requests", "",
     "Requests-Tier1", 4000, "{price} per Amazon SQS standard request", "arn:aws:sqs:{r}:{a}:{n}",
     true, false, false, true},
    {"Amazon Elastic Kubernetes Service", "Compute", "Containers", "Cluster", "Hours", "",
     "AmazonEKS-Hours:perCluster", kUsd / 10, "{price} per hour per Amazon EKS cluster",
     "arn:aws:eks:{r}:{a}:cluster/{n}", false, false, false, true},
    {"Amazon OpenSearch Service", "Analytics", "Search", "Domain", "Hours", "r6g.large.search",
     "ESInstance:r6g.large", kUsd * 167 / 1000,
     "{price} per r6g.large.search instance hour (or partial hour)",
     "arn:aws:es:{r}:{a}:domain/{n}", false, false, false, true},
    {"Amazon Managed Streaming for Apache Kafka", "Analytics", "Streaming Analytics", "Cluster",
     "Hours", "kafka.m5.large", "Kafka.m5.large", kUsd * 231 / 1000,
     "{price} per Kafka.m5.large broker hour", "arn:aws:kafka:{r}:{a}:cluster/{n}/{h}", false,
     false, false, true},
    {"Amazon Redshift", "Databases", "Data Warehouse", "Cluster", "Hours", "ra3.xlplus",
     "Node:ra3.xlplus", kUsd * 1303 / 1000, "{price} per RA3 XLPlus Compute Node hour",
     "arn:aws:redshift:{r}:{a}:cluster:{n}", false, false, false, true},
    {"Amazon EC2 Container Registry (ECR)", "Compute", "Containers", "Repository", "GB-Mo", "",
     "TimedStorage-ByteHrs", kUsd / 10, "{price} per GB-month of data storage",
     "arn:aws:ecr:{r}:{a}:repository/{n}", false, false, false, true},
}};
static_assert(kProducts.size() == static_cast<size_t>(CloudProduct::kEcrRepository) + 1);

constexpr std::array<RegionInfo, 6> kRegions = {{
    {"us-east-1", "US East (N. Virginia)", "USE1"},
    {"us-west-2", "US West (Oregon)", "USW2"},
    {"eu-central-1", "Europe (Frankfurt)", "EUC1"},
    {"eu-west-1", "Europe (Ireland)", "EUW1"},
    {"ap-south-1", "Asia Pacific (Mumbai)", "APS3"},
    {"ap-southeast-2", "Asia Pacific (Sydney)", "APS2"},
}};

}  // namespace

const ProductInfo& Info(CloudProduct product) { return kProducts[static_cast<size_t>(product)]; }

const RegionInfo* FindRegion(std::string_view id) {
  for (const auto& region : kRegions) {
    if (region.id == id) return &region;
  }
  return nullptr;
}

}  // namespace plinth::cost::gen
