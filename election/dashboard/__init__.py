"""The dashboards (工作台) of every role."""
