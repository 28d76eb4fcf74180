"""Everything that talks to AWS: each module owns the boto3 calls for one concept."""
