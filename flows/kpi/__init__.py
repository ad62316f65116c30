"""Performance-framework (KPI) evidence: the weighted scorecard and the KPI reports."""
