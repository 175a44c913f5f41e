"""The YAML side: a safe ERB evaluator and ERB-aware, position-keeping YAML loading."""
