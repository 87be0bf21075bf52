console.log('took', 12, 'ms');
