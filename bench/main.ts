console.log('bench: coming');
