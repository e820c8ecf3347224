echo sourced
