"""Presigned download links, served by the local stack (in AWS, S3 serves them itself)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from botocore.exceptions import ClientError
from werkzeug.wrappers import Request, Response

from rightsflow.local.stack import LocalStack


def serve_presigned_download(
    stack: LocalStack, request: Request, bucket: str, key: str
) -> Response:
    """Answer a link made by generate_presigned_url: refused once expired, like S3's."""
    signed_at = request.args.get("X-Amz-Date", "")
    expires = request.args.get("X-Amz-Expires", "")
    if not request.args.get("X-Amz-Signature") or not expires.isdigit():
        return Response("missing signature", status=403)
    try:
        start = datetime.strptime(signed_at, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        return Response("bad X-Amz-Date", status=403)
    if datetime.now(UTC) > start + timedelta(seconds=int(expires)):
        return Response("link expired", status=403)
    try:
        answer = stack.client("s3").get_object(Bucket=bucket, Key=key)
    except ClientError:
        return Response("no such object", status=404)
    return Response(
        answer["Body"].read(),
        content_type=answer.get("ContentType", "application/octet-stream"),
        headers={"Content-Disposition": f'attachment; filename="{key.rsplit("/", 1)[-1]}"'},
    )
