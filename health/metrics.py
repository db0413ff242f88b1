"""Operational gauges in Prometheus' text format, computed from the database and the broker at scrape time.

Any app adds its own gauges from its `AppConfig.ready()`, so this module never imports it:

    from health.metrics import register_gauge

    register_gauge(
        "townhall_stripe_events_unprocessed",
        "Stripe events received but not processed yet.",
        lambda: StripeEvent.objects.filter(processed_at=None).count(),
    )

A gauge's function returns one number, or, when the gauge has labels, a mapping from a tuple of
label values to a number. Functions run at each scrape, one after another; one that raises does
not spoil the others: its gauge is left out and `townhall_metrics_source_up{gauge=...}` is 0.
Nothing is kept between scrapes, so every web process answers the same and none must be the one.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TypeAlias

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

logger = logging.getLogger(__name__)

Value: TypeAlias = float | int
Reading: TypeAlias = Value | Mapping[tuple[str, ...], Value]
Reader = Callable[[], Reading]

NAME = re.compile(r"^townhall_[a-z0-9_]+$")
LABEL = re.compile(r"^[a-z_][a-z0-9_]*$")
SOURCE_UP = "townhall_metrics_source_up"
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class MetricsError(ValueError):
    """A gauge registered with a bad name or labels, or twice with different readers."""


@dataclass(frozen=True)
class Gauge:
    name: str
    documentation: str
    read: Reader
    labels: tuple[str, ...] = ()


_gauges: dict[str, Gauge] = {}
_lock = threading.Lock()


def register_gauge(name: str, documentation: str, read: Reader, *, labels: tuple[str, ...] = ()) -> Gauge:
    """Add a gauge to every scrape. Registering the same name and reader again is a no-op (ready() may run twice)."""
    if not NAME.match(name) or name == SOURCE_UP:
        raise MetricsError(f"{name!r}: gauge names are townhall_ followed by lower-case letters, digits and _.")
    for label in labels:
        if not LABEL.match(label) or label.startswith("__"):
            raise MetricsError(f"{name}: {label!r} is not a valid label name.")
    gauge = Gauge(name=name, documentation=documentation, read=read, labels=tuple(labels))
    with _lock:
        existing = _gauges.get(name)
        if existing is not None and existing != gauge:
            raise MetricsError(f"{name} is already registered with another reader.")
        _gauges[name] = gauge
    return gauge


def unregister_gauge(name: str) -> None:
    with _lock:
        _gauges.pop(name, None)


def registered() -> list[Gauge]:
    with _lock:
        return sorted(_gauges.values(), key=lambda gauge: gauge.name)


class _TownhallCollector(Collector):
    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily(
            SOURCE_UP, "1 when the gauge could be read at this scrape, 0 when it failed.", labels=["gauge"]
        )
        for gauge in registered():
            family = _read(gauge)
            up.add_metric([gauge.name], 0 if family is None else 1)
            if family is not None:
                yield family
        yield up


def _read(gauge: Gauge) -> GaugeMetricFamily | None:
    try:
        reading = gauge.read()
        family = GaugeMetricFamily(gauge.name, gauge.documentation, labels=list(gauge.labels))
        if isinstance(reading, Mapping):
            for values, value in sorted(reading.items()):
                if len(values) != len(gauge.labels):
                    raise MetricsError(f"{gauge.name}: {values!r} does not match labels {gauge.labels!r}.")
                family.add_metric(list(values), float(value))
        else:
            if gauge.labels:
                raise MetricsError(f"{gauge.name} has labels but its reader returned one number.")
            family.add_metric([], float(reading))
    except Exception as exc:
        # The class only: messages of database and broker errors can carry host names and URLs.
        logger.warning("metrics gauge %s failed: %s", gauge.name, type(exc).__name__)
        return None
    return family


def render() -> bytes:
    """Every registered gauge, read now, in Prometheus' text exposition format."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_TownhallCollector())
    output: bytes = generate_latest(registry)
    return output
