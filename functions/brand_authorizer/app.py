"""Lambda authorizer of the Brand API: `Authorization: Bearer <key>` names one Brand."""

from typing import Any

from aws_lambda_powertools.utilities.data_classes import event_source
from aws_lambda_powertools.utilities.data_classes.api_gateway_authorizer_event import (
    APIGatewayAuthorizerEventV2,
    APIGatewayAuthorizerResponseV2,
)
from aws_lambda_powertools.utilities.typing import LambdaContext

from rightsflow.integration.brand_keys import BrandKeys
from rightsflow.observability import instrumented
from rightsflow.settings import AuthorizerSettings

settings = AuthorizerSettings.from_environment()
keys = BrandKeys(settings.brand_keys_table)


@instrumented("requestContext.requestId")
@event_source(data_class=APIGatewayAuthorizerEventV2)
def lambda_handler(event: APIGatewayAuthorizerEventV2, context: LambdaContext) -> dict[str, Any]:
    header = event.headers.get("authorization", "")
    scheme, _, key = header.partition(" ")
    brand = keys.brand_for(key.strip()) if scheme.lower() == "bearer" else None
    if brand is None:
        return APIGatewayAuthorizerResponseV2(authorize=False).asdict()
    # The route still checks that this Brand is the one named in the path.
    return APIGatewayAuthorizerResponseV2(authorize=True, context={"brand": brand}).asdict()
