"""Prometheus metrics, on a registry of their own per process (and per test)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.inbound = Counter("comdev_inbound_messages", "Inbound messages recorded",
                               ["channel"], registry=self.registry)
        self.duplicates = Counter("comdev_inbound_duplicates", "Inbound deliveries seen before",
                                  ["channel"], registry=self.registry)
        self.rejected = Counter("comdev_webhook_rejected", "Webhook calls refused",
                                ["channel", "reason"], registry=self.registry)
        self.outbound = Counter("comdev_outbound_messages", "Outbound sending results",
                                ["channel", "status"], registry=self.registry)
        self.delivery = Counter("comdev_delivery_statuses", "Provider delivery statuses",
                                ["status"], registry=self.registry)
        self.step_seconds = Histogram("comdev_step_seconds", "Time to run one conversation step",
                                      registry=self.registry,
                                      buckets=(.002, .005, .01, .025, .05, .1, .25, .5, 1, 2.5))
        self.queue_depth = Gauge("comdev_outbox_queue_depth", "Outbox rows waiting to be sent",
                                 registry=self.registry)
        self.proposals = Gauge("comdev_proposals", "Proposals of needs to experts, by status",
                               ["status"], registry=self.registry)
        self.proposals_sent = Gauge("comdev_proposals_sent", "Proposals sent to experts",
                                    registry=self.registry)
        self.first_acceptance = Gauge(
            "comdev_need_first_acceptance_seconds",
            "Time from a need opened to its first accepted expert, by quantile over needs",
            ["quantile"], registry=self.registry)
        self.needs_matched = Gauge("comdev_needs_with_accepted_expert",
                                   "Needs that have an accepted expert", registry=self.registry)
