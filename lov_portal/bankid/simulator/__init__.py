"""A local stand-in for BankID's RP API v6.0, for development and tests, in three parts:

- `orders`: the API's rules and the orders' state (validation, errors, hint codes, expiry,
  completion), without HTTP;
- `server`: HTTP for it, and the page where the person playing the user moves an order;
- `ca`: the throwaway CA whose certificates really sign the completed orders' XML signatures
  and OCSP responses.
"""

from .ca import SimulatorCA, shared_ca
from .orders import (
    COMPLETE,
    FAILED_HINTS,
    PENDING_HINTS,
    TEST_PERSON,
    ApiError,
    SimulatedOrder,
    Simulator,
    check_script,
)
from .server import make_handler, make_server

__all__ = [
    "COMPLETE",
    "FAILED_HINTS",
    "PENDING_HINTS",
    "TEST_PERSON",
    "ApiError",
    "SimulatedOrder",
    "Simulator",
    "SimulatorCA",
    "check_script",
    "make_handler",
    "make_server",
    "shared_ca",
]
