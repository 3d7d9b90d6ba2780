"""How an e-mail provider's HTTP answers after the checkpoint are classified."""

import pytest

from khabar.newsletter.transport import PermanentFailure, TemporaryFailure, UncertainDelivery, _provider_failure


class ProviderError(Exception):
    def __init__(self, status_code):
        super().__init__(f"status {status_code}")
        self.status_code = status_code


@pytest.mark.parametrize(
    "status, outcome",
    [(429, TemporaryFailure), (500, TemporaryFailure), (503, TemporaryFailure), (502, UncertainDelivery),
     (504, UncertainDelivery), (400, PermanentFailure)],
    ids=["rate-limited", "server-error", "unavailable", "bad-gateway-may-have-sent", "gateway-timeout-may-have-sent",
         "rejected"],
)
def test_gateway_errors_are_never_retried_blindly(status, outcome):
    assert isinstance(_provider_failure(ProviderError(status)), outcome)
